import { randomUUID } from 'node:crypto';
import { AlertRulesRepository } from '../src/alerts/rules/alert-rules.repository.js';
import { RuleChanges } from '../src/alerts/rules/rule-changes.js';
import { SilencesRepository } from '../src/alerts/silences/silences.repository.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const iso = (ms: number) => new Date(ms).toISOString();

describe('alert rules and silences', () => {
  let t: TestApp;
  let owner: Tenant;
  let stranger: Tenant;
  let tokens: Record<'admin' | 'operator' | 'viewer', string>;
  let hostId: string;
  let otherHostId: string;
  let containerId: string;
  let strangerHostId: string;
  let strangerContainerId: string;
  let channelId: string;
  let strangerChannelId: string;
  const changes: string[] = [];

  const rules = (token: string) => ({
    create: (body: object) => t.http().post('/api/alert-rules').set(bearer(token)).send(body),
    list: () => t.http().get('/api/alert-rules').set(bearer(token)),
    get: (id: string) => t.http().get(`/api/alert-rules/${id}`).set(bearer(token)),
    update: (id: string, body: object) => t.http().patch(`/api/alert-rules/${id}`).set(bearer(token)).send(body),
    remove: (id: string) => t.http().delete(`/api/alert-rules/${id}`).set(bearer(token)),
  });
  const silences = (token: string) => ({
    create: (body: object) => t.http().post('/api/silences').set(bearer(token)).send(body),
    list: (query = '') => t.http().get(`/api/silences${query}`).set(bearer(token)),
    remove: (id: string) => t.http().delete(`/api/silences/${id}`).set(bearer(token)),
  });

  async function hostWithContainer(tenant: Tenant, name: string) {
    const host = await enrolledHost(t, tenant, name);
    await t.http().post('/api/agent/containers').set(bearer(host.agentToken)).send([container(dockerId(), { name: `/${name}-api-1` })]).expect(200);
    const [listed] = (await t.http().get(`/api/hosts/${host.hostId}/containers`).set(bearer(tenant.token)).expect(200)).body;
    return { hostId: host.hostId, containerId: listed.id as string };
  }
  const webhook = async (tenant: Tenant) =>
    (await t.http().post('/api/notification-channels').set(bearer(tenant.token)).send({ name: 'Hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } }).expect(201)).body.id as string;

  const cpuRule = <T extends object>(overrides: T = {} as T) => ({
    name: 'API CPU',
    severity: 'warning',
    condition: { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 90, for: '5m' },
    ...overrides,
  });
  const silence = (overrides: object = {}) => ({ startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + HOUR), comment: 'Maintenance', ...overrides });

  beforeAll(async () => {
    t = await startTestApp({ NOTIFY_ALLOW_PRIVATE: 'true' });
    t.app.get(RuleChanges).onChange((organizationId) => void changes.push(organizationId));
    owner = await signup(t);
    stranger = await signup(t);
    tokens = { admin: await addUser(t, owner, 'admin'), operator: await addUser(t, owner, 'operator'), viewer: await addUser(t, owner, 'viewer') };
    ({ hostId, containerId } = await hostWithContainer(owner, 'alpha'));
    otherHostId = (await enrolledHost(t, owner, 'beta')).hostId;
    ({ hostId: strangerHostId, containerId: strangerContainerId } = await hostWithContainer(stranger, 'gamma'));
    channelId = await webhook(owner);
    strangerChannelId = await webhook(stranger);
  });
  afterAll(() => t.close());

  describe('rules', () => {
    it('creates each type of condition and answers it as written, with the defaults filled in', async () => {
      const conditions = [
        { type: 'container_metric', metric: 'memoryPercent', op: '>', threshold: 85.5, for: '5m' },
        { type: 'host_metric', metric: 'load15', op: '<', threshold: -1, for: '1h' },
        { type: 'container_event', events: ['died', 'oom_killed', 'restart_loop'] },
        { type: 'host_offline', for: '90s' },
        { type: 'log_match', q: 'Connection refused', stream: 'stderr', count: 3, within: '10m' },
        { type: 'log_match', q: 'panic', count: 1, within: '1s' },
      ];
      for (const condition of conditions) {
        const created = await rules(owner.token).create({ name: `Rule ${condition.type}`, severity: 'critical', condition }).expect(201);
        expect(created.body).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: `Rule ${condition.type}`,
          enabled: true,
          severity: 'critical',
          scope: {},
          condition,
          channelIds: [],
          repeatEvery: null,
          notifyResolved: true,
          createdAt: expect.any(String),
          updatedAt: created.body.createdAt,
        });
        expect((await rules(owner.token).get(created.body.id).expect(200)).body).toEqual(created.body);
      }
    });

    it('keeps every field sent: scope, channels, reminders, disabled, no resolved notice', async () => {
      const body = cpuRule({
        enabled: false,
        severity: 'info',
        scope: { hostIds: [hostId.toUpperCase()], containerNames: ['api-*', 'worker-?', 'db'], labels: { app: 'web', 'com.docker.compose.project': 'shop' } },
        channelIds: [channelId],
        repeatEvery: '30m',
        notifyResolved: false,
      });
      const created = await rules(owner.token).create(body).expect(201);
      expect(created.body).toMatchObject({ ...body, scope: { ...body.scope, hostIds: [hostId] } });
      const list = await rules(tokens.viewer).list().expect(200);
      expect(list.body).toContainEqual(created.body);
      expect(list.body.map((rule: { createdAt: string }) => rule.createdAt)).toEqual([...list.body.map((rule: { createdAt: string }) => rule.createdAt)].sort());
    });

    it('an empty list or label set in the scope narrows nothing, and is left out', async () => {
      const created = await rules(owner.token).create(cpuRule({ scope: { hostIds: [], containerNames: [], labels: {} } })).expect(201);
      expect(created.body.scope).toEqual({});
    });

    it('PATCH changes only what is sent; scope and condition are replaced whole; repeatEvery null stops reminders', async () => {
      const created = (await rules(owner.token).create(cpuRule({ scope: { containerNames: ['api-*'] }, channelIds: [channelId], repeatEvery: '1h' })).expect(201)).body;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const renamed = await rules(tokens.admin).update(created.id, { name: 'Renamed', enabled: false }).expect(200);
      expect(renamed.body).toEqual({ ...created, name: 'Renamed', enabled: false, updatedAt: expect.any(String) });
      expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

      const replaced = await rules(owner.token)
        .update(created.id, { condition: { type: 'log_match', q: 'OOM', count: 2, within: '5m' }, scope: { labels: { tier: 'db' } }, repeatEvery: null, channelIds: [] })
        .expect(200);
      expect(replaced.body).toMatchObject({ condition: { type: 'log_match', q: 'OOM', count: 2, within: '5m' }, scope: { labels: { tier: 'db' } }, repeatEvery: null, channelIds: [] });
      expect((await rules(owner.token).get(created.id).expect(200)).body).toEqual(replaced.body);

      const bad = await rules(owner.token).update(created.id, { name: null, condition: { type: 'host_offline', for: '5s' } }).expect(400);
      expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^name /), 'condition.for must be between 10s and 7d']));
    });

    it('DELETE answers 204, then the rule is gone (404)', async () => {
      const created = (await rules(owner.token).create(cpuRule()).expect(201)).body;
      const res = await rules(owner.token).remove(created.id).expect(204);
      expect(res.text).toBe('');
      await rules(owner.token).get(created.id).expect(404);
      await rules(owner.token).remove(created.id).expect(404);
      await rules(owner.token).update(created.id, { name: 'x' }).expect(404);
      expect((await rules(owner.token).list().expect(200)).body.map((rule: { id: string }) => rule.id)).not.toContain(created.id);
      await rules(owner.token).get('not-a-uuid').expect(404);
    });

    const condition = (fields: object) => ({ ...cpuRule().condition, ...fields });
    const channelIdPlaceholder = '3c8e2f61-7a4d-4b9e-8f10-5d2a6c9b1e47';
    const cases: Array<[string, object, string | RegExp]> = [
      ['unknown metric', { condition: condition({ metric: 'diskPercent' }) }, 'condition.metric must be one of: cpuPercent, memoryPercent, memoryUsed, networkRxRate, networkTxRate, blockReadRate, blockWriteRate'],
      ['host metric list', { condition: { type: 'host_metric', metric: 'memoryUsed', op: '>', threshold: 1, for: '1m' } }, /^condition\.metric must be one of: cpuPercent, memoryPercent, diskPercent/],
      ['bad op', { condition: condition({ op: '>=' }) }, 'condition.op must be one of: >, <'],
      ['threshold as text', { condition: condition({ threshold: '90' }) }, 'condition.threshold must be a finite number'],
      ['bad duration', { condition: condition({ for: '5 minutes' }) }, 'condition.for must be a duration like 30s, 5m, 1h'],
      ['duration with spaces', { condition: condition({ for: ' 5m' }) }, 'condition.for must be a duration like 30s, 5m, 1h'],
      ['duration too short', { condition: condition({ for: '500ms' }) }, 'condition.for must be between 1s and 7d'],
      ['duration too long', { condition: condition({ for: '8d' }) }, 'condition.for must be between 1s and 7d'],
      ['missing duration', { condition: { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 1 } }, 'condition.for must be a duration like 30s, 5m, 1h'],
      ['host_offline too short', { condition: { type: 'host_offline', for: '9s' } }, 'condition.for must be between 10s and 7d'],
      ['unknown type', { condition: { type: 'disk_full', metric: 'x' } }, 'condition.type must be one of: container_metric, host_metric, container_event, host_offline, log_match'],
      ['condition not an object', { condition: 'cpu > 90' }, 'condition must be an object with a type'],
      ['fields of another type', { condition: condition({ events: ['died'] }) }, 'condition.property events should not exist'],
      ['no events', { condition: { type: 'container_event', events: [] } }, 'condition.events must not be empty'],
      ['unknown event', { condition: { type: 'container_event', events: ['died', 'exploded'] } }, 'condition.events.1 must be one of: died, oom_killed, unhealthy, restart_loop'],
      ['channel repeated in another case', { channelIds: [channelIdPlaceholder, channelIdPlaceholder.toUpperCase()] }, 'channelIds.1 repeats an earlier item'],
      ['NUL in q', { condition: { type: 'log_match', q: 'a\u0000b', count: 1, within: '1m' } }, /^condition\.q must not contain NUL/],
      ['repeated event', { condition: { type: 'container_event', events: ['died', 'died'] } }, 'condition.events.1 repeats an earlier item'],
      ['count zero', { condition: { type: 'log_match', q: 'x', count: 0, within: '1m' } }, 'condition.count must be an integer from 1 to 10000'],
      ['count fraction', { condition: { type: 'log_match', q: 'x', count: 1.5, within: '1m' } }, 'condition.count must be an integer from 1 to 10000'],
      ['count too big', { condition: { type: 'log_match', q: 'x', count: 10_001, within: '1m' } }, 'condition.count must be an integer from 1 to 10000'],
      ['empty q', { condition: { type: 'log_match', q: '', count: 1, within: '1m' } }, 'condition.q must be 1 to 500 characters long'],
      ['long q', { condition: { type: 'log_match', q: 'x'.repeat(501), count: 1, within: '1m' } }, 'condition.q must be 1 to 500 characters long'],
      ['bad stream', { condition: { type: 'log_match', q: 'x', stream: 'stdin', count: 1, within: '1m' } }, 'condition.stream must be one of: stdout, stderr'],
      ['bad within', { condition: { type: 'log_match', q: 'x', count: 1, within: '1w' } }, 'condition.within must be a duration like 30s, 5m, 1h'],
      ['bad severity', { severity: 'fatal' }, 'severity must be one of: info, warning, critical'],
      ['empty name', { name: '  ' }, /^name must be longer than or equal to 1 characters/],
      ['enabled as text', { enabled: 'yes' }, 'enabled must be true or false'],
      ['bad glob', { scope: { containerNames: ['api-*', 'api/[12]'] } }, /^scope\.containerNames\.1 must be a glob/],
      ['empty glob', { scope: { containerNames: [''] } }, /^scope\.containerNames\.0 must be a glob/],
      ['too many globs', { scope: { containerNames: Array.from({ length: 51 }, (_, i) => `c${i}`) } }, 'scope.containerNames must have at most 50 items'],
      ['globs not a list', { scope: { containerNames: 'api-*' } }, /^scope\.containerNames must be an array/],
      ['host id not a uuid', { scope: { hostIds: ['host-1'] } }, 'scope.hostIds.0 must be a host id'],
      ['label not a string', { scope: { labels: { app: 1 } } }, /^scope\.labels\.app must be a string/],
      ['too many labels', { scope: { labels: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) } }, 'scope.labels must have at most 50 keys'],
      ['unknown scope field', { scope: { hosts: [] } }, 'scope.property hosts should not exist'],
      ['channel not a uuid', { channelIds: ['hook'] }, 'channelIds.0 must be a notification channel id'],
      ['too many channels', { channelIds: Array.from({ length: 21 }, () => randomUUID()) }, 'channelIds must have at most 20 items'],
      ['repeatEvery too short', { repeatEvery: '30s' }, 'repeatEvery must be between 1m and 7d'],
      ['repeatEvery malformed', { repeatEvery: 60 }, 'repeatEvery must be a duration like 30s, 5m, 1h'],
      ['unknown property', { color: 'red' }, 'property color should not exist'],
    ];
    it.each(cases)('answers 400 naming the field: %s', async (_, fields, message) => {
      const res = await rules(owner.token).create(cpuRule(fields)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toContainEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    });

    it('answers 400 naming the hosts and channels that are not the organization’s', async () => {
      const unknown = randomUUID();
      const res = await rules(owner.token).create(cpuRule({ scope: { hostIds: [hostId, strangerHostId] }, channelIds: [unknown, channelId, strangerChannelId] })).expect(400);
      expect(res.body.message).toEqual([
        'scope.hostIds.1 is not a host of this organization',
        'channelIds.0 is not a notification channel of this organization',
        'channelIds.2 is not a notification channel of this organization',
      ]);
      const created = (await rules(owner.token).create(cpuRule({ scope: { hostIds: [hostId, otherHostId] }, channelIds: [channelId] })).expect(201)).body;
      const patched = await rules(owner.token).update(created.id, { channelIds: [strangerChannelId] }).expect(400);
      expect(patched.body.message).toEqual(['channelIds.0 is not a notification channel of this organization']);
      expect((await rules(owner.token).get(created.id).expect(200)).body.channelIds).toEqual([channelId]);
    });

    it('only admins and owners manage rules; every role reads them', async () => {
      const created = (await rules(tokens.admin).create(cpuRule()).expect(201)).body;
      for (const role of ['operator', 'viewer'] as const) {
        await rules(tokens[role]).create(cpuRule()).expect(403);
        await rules(tokens[role]).update(created.id, { name: 'Mine now' }).expect(403);
        await rules(tokens[role]).remove(created.id).expect(403);
        expect((await rules(tokens[role]).get(created.id).expect(200)).body).toEqual(created);
        expect((await rules(tokens[role]).list().expect(200)).body).toContainEqual(created);
      }
      await t.http().get('/api/alert-rules').expect(401);
      await rules(tokens.admin).remove(created.id).expect(204);
    });

    it('another organization sees none of the rules, and gets 404 for their ids', async () => {
      const created = (await rules(owner.token).create(cpuRule()).expect(201)).body;
      const theirs = rules(stranger.token);
      expect((await theirs.list().expect(200)).body.map((rule: { id: string }) => rule.id)).not.toContain(created.id);
      await theirs.get(created.id).expect(404);
      await theirs.update(created.id, { name: 'Taken' }).expect(404);
      await theirs.remove(created.id).expect(404);
      expect((await rules(owner.token).get(created.id).expect(200)).body).toEqual(created);
    });
  });

  describe('silences', () => {
    it('creates a silence for a host, container and rule, and lists it as active', async () => {
      const rule = (await rules(owner.token).create(cpuRule()).expect(201)).body;
      const body = silence({ hostId, containerId, ruleId: rule.id, comment: '  Upgrading the API  ' });
      const created = await silences(tokens.operator).create(body).expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        hostId,
        containerId,
        ruleId: rule.id,
        startsAt: body.startsAt,
        endsAt: body.endsAt,
        comment: 'Upgrading the API',
        createdBy: expect.stringMatching(/^[0-9a-f-]{36}$/),
        createdAt: expect.any(String),
        active: true,
      });
      expect((await silences(tokens.viewer).list().expect(200)).body).toContainEqual(created.body);
    });

    it('takes epoch milliseconds; a silence that has not started is not active yet', async () => {
      const startsAt = Date.now() + HOUR;
      const created = await silences(owner.token).create(silence({ startsAt, endsAt: startsAt + HOUR })).expect(201);
      expect(created.body).toMatchObject({ hostId: null, containerId: null, ruleId: null, startsAt: iso(startsAt), endsAt: iso(startsAt + HOUR), active: false });
    });

    it('lists those not ended, newest first; all=true adds the ended ones', async () => {
      const ended = (await silences(owner.token).create(silence({ startsAt: iso(Date.now() - 2 * HOUR), endsAt: iso(Date.now() - HOUR), comment: 'Over' })).expect(201)).body;
      const first = (await silences(owner.token).create(silence({ comment: 'First' })).expect(201)).body;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = (await silences(owner.token).create(silence({ comment: 'Second' })).expect(201)).body;
      const current = (await silences(owner.token).list().expect(200)).body as Array<{ id: string; createdAt: string }>;
      expect(current.map((s) => s.id)).not.toContain(ended.id);
      expect(current.map((s) => s.id).indexOf(second.id)).toBeLessThan(current.map((s) => s.id).indexOf(first.id));
      expect(current.map((s) => s.createdAt)).toEqual([...current.map((s) => s.createdAt)].sort().reverse());
      const all = (await silences(owner.token).list('?all=true').expect(200)).body;
      expect(all).toContainEqual({ ...ended, active: false });
      expect((await silences(owner.token).list('?all=false').expect(200)).body.map((s: { id: string }) => s.id)).not.toContain(ended.id);
      const bad = await silences(owner.token).list('?all=yes').expect(400);
      expect(bad.body.message).toEqual(['all must be true or false']);
    });

    it('DELETE answers 204, then 404', async () => {
      const created = (await silences(owner.token).create(silence()).expect(201)).body;
      await silences(tokens.operator).remove(created.id).expect(204);
      await silences(owner.token).remove(created.id).expect(404);
      expect((await silences(owner.token).list('?all=true').expect(200)).body.map((s: { id: string }) => s.id)).not.toContain(created.id);
      await silences(owner.token).remove('nope').expect(404);
    });

    const cases: Array<[string, object, string | RegExp]> = [
      ['endsAt before startsAt', { startsAt: iso(Date.now() + HOUR), endsAt: iso(Date.now()) }, 'endsAt must be after startsAt'],
      ['endsAt equal to startsAt', { startsAt: iso(Date.now()), endsAt: iso(Date.now()) }, 'endsAt must be after startsAt'],
      ['bad startsAt', { startsAt: 'yesterday' }, 'startsAt must be an ISO 8601 timestamp or epoch milliseconds'],
      ['missing endsAt', { endsAt: undefined }, 'endsAt must be an ISO 8601 timestamp or epoch milliseconds'],
      ['empty comment', { comment: '   ' }, 'comment must be 1 to 500 characters long'],
      ['long comment', { comment: 'x'.repeat(501) }, 'comment must be 1 to 500 characters long'],
      ['missing comment', { comment: undefined }, 'comment must be a string'],
      ['host id not a uuid', { hostId: 'alpha' }, 'hostId must be a host id'],
      ['unknown host', { hostId: randomUUID() }, 'hostId is not a host of this organization'],
      ['unknown container', { containerId: randomUUID() }, 'containerId is not a container of this organization'],
      ['unknown rule', { ruleId: randomUUID() }, 'ruleId is not an alert rule of this organization'],
      ['unknown property', { reason: 'x' }, 'property reason should not exist'],
    ];
    it.each(cases)('answers 400 naming the field: %s', async (_, fields, message) => {
      const res = await silences(owner.token).create(silence(fields)).expect(400);
      expect(res.body.message).toContainEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    });

    it('refuses a container of another host than hostId', async () => {
      const res = await silences(owner.token).create(silence({ hostId: otherHostId, containerId })).expect(400);
      expect(res.body.message).toEqual(['containerId is not a container of hostId']);
    });

    it('operators and above manage silences; viewers only read them', async () => {
      const created = (await silences(tokens.operator).create(silence()).expect(201)).body;
      await silences(tokens.viewer).create(silence()).expect(403);
      await silences(tokens.viewer).remove(created.id).expect(403);
      expect((await silences(tokens.viewer).list().expect(200)).body).toContainEqual(created);
      await silences(tokens.admin).remove(created.id).expect(204);
    });

    it('another organization sees none of the silences, cannot delete them, nor silence this one’s host, container or rule', async () => {
      const rule = (await rules(owner.token).create(cpuRule()).expect(201)).body;
      const created = (await silences(owner.token).create(silence({ hostId, ruleId: rule.id })).expect(201)).body;
      expect((await silences(stranger.token).list('?all=true').expect(200)).body.map((s: { id: string }) => s.id)).not.toContain(created.id);
      await silences(stranger.token).remove(created.id).expect(404);
      const res = await silences(stranger.token).create(silence({ hostId, containerId, ruleId: rule.id })).expect(400);
      expect(res.body.message).toEqual([
        'hostId is not a host of this organization',
        'containerId is not a container of this organization',
        'ruleId is not an alert rule of this organization',
      ]);
      await silences(stranger.token).create(silence({ hostId: strangerHostId, containerId: strangerContainerId })).expect(201);
      expect((await silences(owner.token).list().expect(200)).body).toContainEqual(created);
    });
  });

  it('documents both APIs in OpenAPI, the condition as one schema per type', async () => {
    const document = (await t.http().get('/docs-json').expect(200)).body;
    for (const [path, methods] of Object.entries({
      '/api/alert-rules': ['get', 'post'],
      '/api/alert-rules/{ruleId}': ['get', 'patch', 'delete'],
      '/api/silences': ['get', 'post'],
      '/api/silences/{silenceId}': ['delete'],
    })) {
      expect(Object.keys(document.paths[path]).sort()).toEqual([...methods].sort());
    }
    const condition = document.components.schemas.CreateAlertRuleDto.properties.condition;
    expect(condition.oneOf.map((ref: { $ref: string }) => ref.$ref.split('/').pop())).toEqual([
      'ContainerMetricConditionDto',
      'HostMetricConditionDto',
      'ContainerEventConditionDto',
      'HostOfflineConditionDto',
      'LogMatchConditionDto',
    ]);
    expect(document.components.schemas.LogMatchConditionDto.required).toEqual(expect.arrayContaining(['type', 'q', 'count', 'within']));
  });

  describe('what the evaluator reads', () => {
    it('listEnabled and listEnabledFor give enabled rules with their organization and repeat interval in ms', async () => {
      const org = await signup(t);
      const enabled = (await rules(org.token).create(cpuRule({ repeatEvery: '2h' })).expect(201)).body;
      const events = (await rules(org.token).create({ name: 'Crashes', severity: 'critical', condition: { type: 'container_event', events: ['died'] } }).expect(201)).body;
      const logs = (await rules(org.token).create({ name: 'Errors', severity: 'info', condition: { type: 'log_match', q: 'error', count: 3, within: '90s' } }).expect(201)).body;
      const disabled = (await rules(org.token).create(cpuRule({ enabled: false })).expect(201)).body;
      const theirs = (await rules(stranger.token).create(cpuRule()).expect(201)).body;
      const repository = t.app.get(AlertRulesRepository);
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect((await repository.listEnabledFor(org.organizationId)).sort(byId)).toEqual([
        { ...enabled, organizationId: org.organizationId, repeatEveryMs: 2 * HOUR, windowMs: 300_000 },
        { ...events, organizationId: org.organizationId, repeatEveryMs: null, windowMs: null },
        { ...logs, organizationId: org.organizationId, repeatEveryMs: null, windowMs: 90_000 },
      ].sort(byId));
      const all = await repository.listEnabled();
      expect(all).toContainEqual({ ...theirs, organizationId: stranger.organizationId, repeatEveryMs: null, windowMs: 300_000 });
      expect(all.map((rule) => rule.id)).toContain(enabled.id);
      expect(all.map((rule) => rule.id)).not.toContain(disabled.id);
    });

    it('activeOrUpcoming gives the silences of every organization that have not ended', async () => {
      const now = Date.now();
      const upcoming = (await silences(owner.token).create(silence({ hostId, startsAt: iso(now + HOUR), endsAt: iso(now + 2 * HOUR) })).expect(201)).body;
      const theirs = (await silences(stranger.token).create(silence({ hostId: strangerHostId })).expect(201)).body;
      const ended = (await silences(owner.token).create(silence({ startsAt: iso(now - 2 * HOUR), endsAt: iso(now - HOUR) })).expect(201)).body;
      const windows = await t.app.get(SilencesRepository).activeOrUpcoming(new Date(now));
      expect(windows).toContainEqual({
        id: upcoming.id,
        organizationId: owner.organizationId,
        hostId,
        containerId: null,
        ruleId: null,
        startsAt: new Date(upcoming.startsAt),
        endsAt: new Date(upcoming.endsAt),
      });
      expect(windows.map((w) => w.id)).toContain(theirs.id);
      expect(windows.map((w) => w.id)).not.toContain(ended.id);
    });

    it('tells the evaluator after every change of a rule or silence, and not after refused ones', async () => {
      const org = await signup(t);
      changes.length = 0;
      const rule = (await rules(org.token).create(cpuRule()).expect(201)).body;
      await rules(org.token).update(rule.id, { name: 'Changed' }).expect(200);
      const created = (await silences(org.token).create(silence()).expect(201)).body;
      await silences(org.token).remove(created.id).expect(204);
      await rules(org.token).remove(rule.id).expect(204);
      await rules(org.token).create(cpuRule({ severity: 'loud' })).expect(400);
      await rules(org.token).remove(rule.id).expect(404);
      expect(changes).toEqual(Array(5).fill(org.organizationId));
    });
  });
});
