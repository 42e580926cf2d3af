import { AlertLifecycle } from '../src/alerts/engine/alert-lifecycle.js';
import { AgentClient } from './support/agent-client.js';
import { eventually, startAlertReceiver } from './support/alert-receiver.js';
import { enrolledHost, hostOfflineRule, signup } from './support/factories.js';
import { privateDatabase } from './support/private-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Two instances need a database both can reach: the embedded engine is one process's alone.
(process.env.DATABASE_URL ? describe : describe.skip)('alerts with two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let own: Awaited<ReturnType<typeof privateDatabase>> | undefined;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    // A database of their own: on the run's shared one, the outbox would also take the retries earlier specs left due.
    own = await privateDatabase();
    const env = { ...own.env, BUFFER_FLUSH_MS: '50', NOTIFY_ALLOW_PRIVATE: 'true' };
    a = await startTestApp(env);
    b = await startTestApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await own?.drop();
    await receiver?.close();
  });

  it('a host that goes silent is one alert and one notification, though both instances see it', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant, 'shared');
    const ruleId = await hostOfflineRule(a, tenant, `${receiver.base}/hook`);
    const agent = await AgentClient.connect(a.baseUrl, host.agentToken);
    await agent.close();
    // Instance b learns of the rule by reading rules again (at most 15 s); both check presence every 2 s.
    const alerts = async () => (await b.http().get('/api/alerts').query({ ruleId }).auth(tenant.token, { type: 'bearer' }).expect(200)).body.items as any[];
    await eventually(alerts, (items) => items.length === 1, 30_000);
    await receiver.waitFor((d) => d.json?.alert?.ruleId === ruleId);
    // Both instances judged the host offline (each remembers the one firing alert), and go on checking.
    for (const app of [a, b]) await eventually(async () => app.app.get(AlertLifecycle).isFiring(ruleId, host.hostId), Boolean, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await alerts()).toHaveLength(1);
    expect(receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId)).toHaveLength(1);
  }, 90_000);
});
