import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { addUser, signup, type Tenant } from './support/factories.js';
import { startSmtpReceiver } from './support/receivers.js';
import { startTestApp, tempDir, type TestApp } from './support/test-app.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that records every request; `/fail` answers 500, `/moved` a redirect. */
async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url!.startsWith('/fail')) res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver is broken');
      else if (req.url!.startsWith('/moved')) res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const MASK = '••••••';
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('notification channels', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let owner: Tenant;

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtpReceiver();
    t = await startTestApp({ NOTIFY_ALLOW_PRIVATE: 'true', SMTP_URL: smtp.url, SMTP_FROM: 'alerts@dockpulse.test' });
    owner = await signup(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await smtp.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const create = (token: string, body: object) => t.http().post('/api/notification-channels').set(bearer(token)).send(body);
  const sendTest = (token: string, id: string) => t.http().post(`/api/notification-channels/${id}/test`).set(bearer(token));
  const hookPath = (prefix = 'hook') => `/${prefix}/${randomUUID()}?key=${randomUUID()}`;
  const receivedAt = (path: string) => receiver.received.filter((r) => r.path === path);

  it('creates a webhook channel, masks its secrets and signs the test message', async () => {
    const path = hookPath();
    const secret = `s3cret-${randomUUID()}`;
    const res = await create(owner.token, { name: 'On call', type: 'webhook', config: { url: `${receiver.base}${path}`, secret } }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'On call', type: 'webhook', config: { url: `${receiver.base}/${MASK}`, secret: MASK } });

    const test = await sendTest(owner.token, res.body.id).expect(200);
    expect(test.body).toEqual({ ok: true, status: 200, deliveryId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [request] = receivedAt(path);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-dockpulse-delivery']).toBe(test.body.deliveryId);
    expect(request.headers['x-dockpulse-signature']).toBe(sign(secret, request.body));
    expect(JSON.parse(request.body)).toMatchObject({ deliveryId: test.body.deliveryId, title: 'DockPulse test notification', severity: 'info' });

    // A second test is a new delivery.
    const again = await sendTest(owner.token, res.body.id).expect(200);
    expect(again.body.deliveryId).not.toBe(test.body.deliveryId);
    expect(receivedAt(path)[1].headers['x-dockpulse-delivery']).toBe(again.body.deliveryId);
  });

  it('never answers nor stores the secrets in clear; a masked value sent back keeps the stored secret, a new one replaces it', async () => {
    const path = hookPath();
    const secret = `first-${randomUUID()}`;
    const created = await create(owner.token, { name: 'Signed', type: 'webhook', config: { url: `${receiver.base}${path}`, secret } }).expect(201);
    const id = created.body.id;
    const secretParts = [secret, path.split('/')[2], path.split('=')[1]];
    const noSecrets = (body: unknown) => secretParts.forEach((part) => expect(JSON.stringify(body)).not.toContain(part));
    noSecrets(created.body);
    const list = await t.http().get('/api/notification-channels').set(bearer(owner.token)).expect(200);
    expect(list.body).toContainEqual(created.body);
    noSecrets(list.body);
    const [row] = await t.sql.query<{ config: string; secrets: string }>('SELECT config::text AS config, secrets FROM notification_channels WHERE id = $1', [id]);
    noSecrets(row);
    expect(row.secrets).toMatch(/^v1\./);

    const renamed = await t.http().patch(`/api/notification-channels/${id}`).set(bearer(owner.token)).send({ name: 'Renamed', config: created.body.config }).expect(200);
    expect(renamed.body).toEqual({ ...created.body, name: 'Renamed' });
    noSecrets(renamed.body);
    await sendTest(owner.token, id).expect(200);
    const signed = receivedAt(path)[0];
    expect(signed.headers['x-dockpulse-signature']).toBe(sign(secret, signed.body));

    const newSecret = `second-${randomUUID()}`;
    const changed = await t.http().patch(`/api/notification-channels/${id}`).set(bearer(owner.token)).send({ config: { url: created.body.config.url, secret: newSecret } }).expect(200);
    expect(JSON.stringify(changed.body)).not.toContain(newSecret);
    await sendTest(owner.token, id).expect(200);
    const resigned = receivedAt(path)[1];
    expect(resigned.headers['x-dockpulse-signature']).toBe(sign(newSecret, resigned.body));

    // Without `secret`, the channel stops signing; a mask with nothing behind it is refused.
    await t.http().patch(`/api/notification-channels/${id}`).set(bearer(owner.token)).send({ config: { url: created.body.config.url } }).expect(200);
    await sendTest(owner.token, id).expect(200);
    expect(receivedAt(path)[2].headers['x-dockpulse-signature']).toBeUndefined();
    const masked = await t.http().patch(`/api/notification-channels/${id}`).set(bearer(owner.token)).send({ config: { url: created.body.config.url, secret: MASK } }).expect(400);
    expect(masked.body.message).toEqual([expect.stringContaining('config.secret')]);
  });

  it('sends slack, discord and ntfy messages in their own formats', async () => {
    const paths = { slack: hookPath('slack'), discord: hookPath('discord'), ntfy: hookPath('ntfy') };
    const slack = await create(owner.token, { name: 'Slack', type: 'slack', config: { url: `${receiver.base}${paths.slack}` } }).expect(201);
    const discord = await create(owner.token, { name: 'Discord', type: 'discord', config: { url: `${receiver.base}${paths.discord}` } }).expect(201);
    const ntfy = await create(owner.token, { name: 'ntfy', type: 'ntfy', config: { url: `${receiver.base}${paths.ntfy}`, token: 'tk_abcdef' } }).expect(201);
    expect(ntfy.body.config).toEqual({ url: `${receiver.base}/${MASK}`, token: MASK });
    for (const channel of [slack, discord, ntfy]) await sendTest(owner.token, channel.body.id).expect(200);

    const slackBody = JSON.parse(receivedAt(paths.slack)[0].body);
    expect(slackBody.text).toContain('DockPulse test notification');
    expect(slackBody.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'header' })]));
    const discordBody = JSON.parse(receivedAt(paths.discord)[0].body);
    expect(discordBody.content).toContain('DockPulse test notification');
    expect(discordBody.embeds[0]).toMatchObject({ title: 'DockPulse test notification', description: expect.any(String), color: expect.any(Number) });
    const ntfyRequest = receivedAt(paths.ntfy)[0];
    expect(ntfyRequest.headers).toMatchObject({ title: 'DockPulse test notification', priority: '3', tags: 'information_source', authorization: 'Bearer tk_abcdef' });
    expect(ntfyRequest.body).toContain('This channel works');
  });

  it('answers 502 with the receiver’s answer when it refuses, and does not follow redirects', async () => {
    const failing = await create(owner.token, { name: 'Broken', type: 'webhook', config: { url: `${receiver.base}/fail/${randomUUID()}` } }).expect(201);
    const res = await sendTest(owner.token, failing.body.id).expect(502);
    expect(res.body).toMatchObject({ statusCode: 502, message: expect.stringContaining('500'), receiver: { status: 500, body: 'receiver is broken' } });

    const moving = await create(owner.token, { name: 'Moved', type: 'slack', config: { url: `${receiver.base}/moved/${randomUUID()}` } }).expect(201);
    const before = receivedAt('/target').length;
    const redirected = await sendTest(owner.token, moving.body.id).expect(502);
    expect(redirected.body.receiver.status).toBe(302);
    expect(receivedAt('/target')).toHaveLength(before);

    const down = await create(owner.token, { name: 'Down', type: 'ntfy', config: { url: 'http://127.0.0.1:1/topic' } }).expect(201);
    expect((await sendTest(owner.token, down.body.id).expect(502)).body.message).toMatch(/could not be reached/);
  });

  it('sends email through SMTP_URL from SMTP_FROM', async () => {
    const to = ['ops@example.test', 'oncall@example.test'];
    const res = await create(owner.token, { name: 'Mail', type: 'email', config: { to } }).expect(201);
    expect(res.body.config).toEqual({ to });
    await sendTest(owner.token, res.body.id).expect(200);
    const mail = smtp.mails.at(-1)!;
    expect(mail.from).toBe('alerts@dockpulse.test');
    expect(mail.to).toEqual(to);
    expect(mail.data).toMatch(/^Subject: .*DockPulse test notification/m);
    expect(mail.data).toMatch(/^From: alerts@dockpulse\.test/m);
  });

  it('keeps channels within their organization', async () => {
    const other = await signup(t);
    const mine = await create(owner.token, { name: 'Mine', type: 'slack', config: { url: `${receiver.base}${hookPath()}` } }).expect(201);
    const theirs = await create(other.token, { name: 'Theirs', type: 'slack', config: { url: `${receiver.base}${hookPath()}` } }).expect(201);
    const list = await t.http().get('/api/notification-channels').set(bearer(other.token)).expect(200);
    expect(list.body).toEqual([theirs.body]);
    const url = `/api/notification-channels/${mine.body.id}`;
    await t.http().patch(url).set(bearer(other.token)).send({ name: 'Stolen' }).expect(404);
    await sendTest(other.token, mine.body.id).expect(404);
    await t.http().delete(url).set(bearer(other.token)).expect(404);
    await t.http().delete(`/api/notification-channels/${randomUUID()}`).set(bearer(owner.token)).expect(404);
    await t.http().delete(url).set(bearer(owner.token)).expect(204);
    await t.http().delete(url).set(bearer(owner.token)).expect(404);
  });

  it('lets every role read and only admins manage', async () => {
    const channel = await create(owner.token, { name: 'Shared', type: 'discord', config: { url: `${receiver.base}${hookPath()}` } }).expect(201);
    const admin = await addUser(t, owner, 'admin');
    for (const role of ['viewer', 'operator'] as const) {
      const token = await addUser(t, owner, role);
      const list = await t.http().get('/api/notification-channels').set(bearer(token)).expect(200);
      expect(list.body).toContainEqual(channel.body);
      await create(token, { name: 'Nope', type: 'discord', config: { url: `${receiver.base}/x` } }).expect(403);
      await t.http().patch(`/api/notification-channels/${channel.body.id}`).set(bearer(token)).send({ name: 'Nope' }).expect(403);
      await sendTest(token, channel.body.id).expect(403);
      await t.http().delete(`/api/notification-channels/${channel.body.id}`).set(bearer(token)).expect(403);
    }
    await t.http().patch(`/api/notification-channels/${channel.body.id}`).set(bearer(admin)).send({ name: 'By admin' }).expect(200);
    await t.http().delete(`/api/notification-channels/${channel.body.id}`).set(bearer(admin)).expect(204);
  });

  it('answers 400 naming the field on PATCH', async () => {
    const channel = await create(owner.token, { name: 'Patched', type: 'webhook', config: { url: `${receiver.base}${hookPath()}` } }).expect(201);
    const patch = (body: object) => t.http().patch(`/api/notification-channels/${channel.body.id}`).set(bearer(owner.token)).send(body).expect(400);
    expect((await patch({ type: 'slack' })).body.message).toEqual(['config is required when type changes']);
    expect((await patch({ type: 'pager', config: {} })).body.message).toEqual([expect.stringMatching(/^type must be one of/)]);
    expect((await patch({ config: { url: 'gopher://x' } })).body.message).toEqual([expect.stringMatching(/^config\.url /)]);
    expect((await patch({ name: '' })).body.message).toEqual([expect.stringMatching(/^name /)]);
    // A type change keeps the URL sent back masked.
    const slack = await t.http().patch(`/api/notification-channels/${channel.body.id}`).set(bearer(owner.token)).send({ type: 'slack', config: channel.body.config }).expect(200);
    expect(slack.body).toEqual({ ...channel.body, type: 'slack' });
    await sendTest(owner.token, channel.body.id).expect(200);
  });

  it.each([
    [{ name: 'x', type: 'pager', config: { url: 'https://example.com/h' } }, 'type'],
    [{ name: 'x', type: 'webhook', config: { url: 'not a url' } }, 'config.url'],
    [{ name: 'x', type: 'webhook', config: { url: 'ftp://example.com/h' } }, 'config.url'],
    [{ name: 'x', type: 'webhook', config: {} }, 'config.url'],
    [{ name: 'x', type: 'webhook', config: { url: 'https://example.com/h', extra: 1 } }, 'config.extra'],
    [{ name: 'x', type: 'slack', config: { url: 'https://example.com/h', secret: 'a' } }, 'config.secret'],
    [{ name: 'x', type: 'ntfy', config: { url: 'https://ntfy.sh/t', token: 'a\r\nX-Injected: 1' } }, 'config.token'],
    [{ name: 'x', type: 'email', config: {} }, 'config.to'],
    [{ name: 'x', type: 'email', config: { to: [] } }, 'config.to'],
    [{ name: 'x', type: 'email', config: { to: ['ok@example.test', 'not-an-address'] } }, 'config.to[1]'],
    [{ name: 'x', type: 'webhook', config: 'https://example.com' }, 'config'],
    [{ name: 'x', type: 'webhook', config: { url: `https://example.com/${'a'.repeat(2100)}` } }, 'config.url'],
    [{ name: 'x', type: 'webhook', config: { url: 'https://example.com/h', secret: 's'.repeat(257) } }, 'config.secret'],
    [{ name: 'x', type: 'email', config: { to: [42] } }, 'config.to[0]'],
    [{ name: 'x', type: 'email', config: { to: 'ops@example.test' } }, 'config.to'],
    [{ name: 'x'.repeat(101), type: 'webhook', config: { url: 'https://example.com/h' } }, 'name'],
    [{ type: 'webhook', config: { url: 'https://example.com/h' } }, 'name'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const res = await create(owner.token, body).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}(?![\\w.[])`))]));
  });
});

describe('notification channels without NOTIFY_ALLOW_PRIVATE or SMTP_URL', () => {
  let t: TestApp;
  let owner: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const create = (body: object) => t.http().post('/api/notification-channels').set({ authorization: `Bearer ${owner.token}` }).send(body);

  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://[fe80::1]/'])(
    'refuses %s with 400 naming config.url',
    async (url) => {
      const res = await create({ name: 'Internal', type: 'webhook', config: { url } }).expect(400);
      expect(res.body.message).toEqual([expect.stringMatching(/^config\.url must not point to a loopback, link-local or unspecified address/)]);
    },
  );

  it('refuses a PATCH to a private address', async () => {
    const channel = await create({ name: 'Public', type: 'webhook', config: { url: 'https://93.184.216.34/hook' } }).expect(201);
    const res = await t
      .http()
      .patch(`/api/notification-channels/${channel.body.id}`)
      .set({ authorization: `Bearer ${owner.token}` })
      .send({ config: { url: 'http://127.0.0.1/x' } })
      .expect(400);
    expect(res.body.message[0]).toMatch(/^config\.url/);
  });

  it('refuses email channels while SMTP_URL is not set', async () => {
    const res = await create({ name: 'Mail', type: 'email', config: { to: ['ops@example.test'] } }).expect(400);
    expect(res.body.message).toEqual([expect.stringMatching(/^type email .*need SMTP_URL/)]);
  });
});

describe('the generated notification key', () => {
  it('is created once in DATA_DIR and still opens the secrets after a restart', async () => {
    const receiver = await startReceiver();
    const dataDir = tempDir();
    const secret = `kept-${randomUUID()}`;
    const path = `/hook/${randomUUID()}`;
    let t = await startTestApp({ DATA_DIR: dataDir, NOTIFY_ALLOW_PRIVATE: 'true' });
    try {
      const owner = await signup(t);
      const auth = { authorization: `Bearer ${owner.token}` };
      const channel = await t.http().post('/api/notification-channels').set(auth).send({ name: 'Kept', type: 'webhook', config: { url: `${receiver.base}${path}`, secret } }).expect(201);
      const keyFile = join(dataDir, 'notify-secret-key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const key = readFileSync(keyFile, 'utf8');
      await t.close();

      t = await startTestApp({ DATA_DIR: dataDir, NOTIFY_ALLOW_PRIVATE: 'true' });
      expect(readFileSync(keyFile, 'utf8')).toBe(key);
      await t.http().post(`/api/notification-channels/${channel.body.id}/test`).set(auth).expect(200);
      const [request] = receiver.received.filter((r) => r.path === path);
      expect(request.headers['x-dockpulse-signature']).toBe(sign(secret, request.body));
    } finally {
      await t.close();
      await receiver.close();
    }
  });
});
