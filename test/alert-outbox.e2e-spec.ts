import { createHmac, randomUUID } from 'node:crypto';
import { OutboxStats } from '../src/alerts/outbox/outbox-stats.js';
import { Outbox } from '../src/alerts/outbox/outbox.js';
import { OutboxDispatcher, SEND_CONCURRENCY } from '../src/alerts/outbox/outbox.dispatcher.js';
import {
  alertEvent,
  alertSubject,
  createChannel,
  enqueue,
  insertAlert,
  notification,
  sleep,
  waitFor,
  type Subject,
} from './support/outbox-fixtures.js';
import { privateDatabase } from './support/private-database.js';
import { startHttpReceiver, startSmtpReceiver } from './support/receivers.js';
import { startTestApp, tempDir, type TestApp } from './support/test-app.js';

const ENV = {
  NOTIFY_ALLOW_PRIVATE: 'true',
  NOTIFY_RETRY_BASE: '50ms',
  NOTIFY_RETRY_MAX: '200ms',
  // Several apps on one database must read each other's channel secrets.
  NOTIFY_SECRET_KEY: 'outbox-spec-key-that-is-long-enough-0123',
};
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const hookPath = () => `/hook/${randomUUID()}`;
/** An RFC 2047 header (`=?UTF-8?Q?…?=` words, folded) as text. */
const decodeHeader = (value: string) =>
  value.replace(/\r?\n\s+/g, '').replace(/=\?UTF-8\?Q\?(.*?)\?=\s*/gi, (_, word: string) =>
    Buffer.from(word.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
const sentStatus = (row?: { status: string }) => row?.status === 'sent';

describe('alert notification outbox', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let database: Awaited<ReturnType<typeof privateDatabase>>;
  let subject: Subject;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    smtp = await startSmtpReceiver();
    database = await privateDatabase();
    t = await startTestApp({ ...ENV, ...database.env, SMTP_URL: smtp.url, SMTP_FROM: 'alerts@dockpulse.test' });
    subject = await alertSubject(t);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await receiver?.close();
    await smtp?.close();
  });

  const webhook = async (path: string, secret?: string) =>
    createChannel(t, subject.tenant, 'webhook', { url: `${receiver.base}${path}`, ...(secret && { secret }) });
  const queueOne = async (channelId: string, extra: { notBefore?: Date } = {}) => {
    const alertId = await insertAlert(t, subject);
    const payload = alertEvent(alertId, subject.hostId);
    const [id] = await enqueue(t, [{ alertId, channelId, event: 'firing', payload, ...extra }]);
    return { id, alertId, payload };
  };

  it('delivers a webhook once: the alert event as the body, signed, with the delivery id', async () => {
    const path = hookPath();
    const secret = `s3cret-${randomUUID()}`;
    const channelId = await webhook(path, secret);
    const started = Date.now();
    const { id, payload } = await queueOne(channelId);
    await waitFor(() => receiver.at(path).length, (n) => n > 0);
    // The wake-up after the commit, not a poll, sends it (CONTRACT: condition → webhook within 2 s).
    expect(Date.now() - started).toBeLessThan(2_000);
    const row = await waitFor(() => notification(t, id), sentStatus);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: expect.any(Date) });
    await sleep(300);
    const [request] = receiver.at(path);
    expect(receiver.at(path)).toHaveLength(1);
    expect(JSON.parse(request.body)).toEqual(payload);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-dockpulse-delivery']).toBe(id);
    expect(request.headers['x-dockpulse-signature']).toBe(sign(secret, request.body));
  });

  it('retries a receiver answering 500 with the same delivery id until it accepts, recording the error meanwhile', async () => {
    const path = hookPath();
    receiver.answer(path, (count) => (count <= 3 ? { status: 500, body: 'receiver is broken' } : { status: 200 }));
    const { id } = await queueOne(await webhook(path));
    const failing = await waitFor(() => notification(t, id), (row) => row?.last_error !== null);
    expect(failing).toMatchObject({ status: 'pending', last_error: 'The receiver answered 500: receiver is broken' });
    const row = await waitFor(() => notification(t, id), sentStatus);
    expect(row.attempts).toBe(4);
    expect(receiver.at(path).map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.at(path).map((r) => r.headers['x-dockpulse-delivery']))).toEqual(new Set([id]));
  });

  it('retries while the receiver is down, and delivers once it is back', async () => {
    const flaky = await startHttpReceiver();
    try {
      const path = hookPath();
      const channelId = await createChannel(t, subject.tenant, 'webhook', { url: `${flaky.base}${path}` });
      await flaky.down();
      const { id } = await queueOne(channelId);
      const failing = await waitFor(() => notification(t, id), (row) => (row?.attempts ?? 0) >= 3 && row?.last_error !== null);
      expect(failing.status).toBe('pending');
      expect(failing.last_error).toMatch(/^The receiver could not be reached: ECONNREFUSED/);
      await flaky.up();
      const row = await waitFor(() => notification(t, id), sentStatus);
      // attempts counts claims: the one seen failing may still have been in flight, and may be the one that got through.
      expect(row.attempts).toBeGreaterThanOrEqual(failing.attempts);
      expect(flaky.at(path)).toHaveLength(1);
      expect(flaky.at(path)[0].headers['x-dockpulse-delivery']).toBe(id);
    } finally {
      await flaky.close();
    }
  });

  it('fails a notification whose channel was deleted at once, sending nothing', async () => {
    const path = hookPath();
    const channelId = await webhook(path);
    await t.http().delete(`/api/notification-channels/${channelId}`).auth(subject.tenant.token, { type: 'bearer' }).expect(204);
    const { id } = await queueOne(channelId);
    const row = await waitFor(() => notification(t, id), (r) => r?.status === 'failed');
    expect(row).toMatchObject({ attempts: 1, last_error: 'channel deleted', sent_at: null });
    expect(receiver.at(path)).toHaveLength(0);
  });

  it('sends slack, discord and ntfy messages in their own formats', async () => {
    const paths = { slack: hookPath(), discord: hookPath(), ntfy: hookPath() };
    const alertId = await insertAlert(t, subject);
    const payload = alertEvent(alertId, subject.hostId, 'resolved');
    const items = await Promise.all(
      (['slack', 'discord', 'ntfy'] as const).map(async (type) => ({
        alertId,
        channelId: await createChannel(t, subject.tenant, type, { url: `${receiver.base}${paths[type]}` }),
        event: 'resolved' as const,
        payload,
      })),
    );
    await enqueue(t, items);
    await waitFor(() => Object.values(paths).every((path) => receiver.at(path).length === 1), Boolean);
    const title = '[RESOLVED] High CPU — api-1 on host-a';
    const slack = JSON.parse(receiver.at(paths.slack)[0].body);
    expect(slack.text).toContain(title);
    expect(JSON.stringify(slack.blocks)).toContain('*Exit code*\\n137');
    const discord = JSON.parse(receiver.at(paths.discord)[0].body);
    expect(discord.embeds[0]).toMatchObject({ title, description: payload.alert.message, url: payload.url });
    expect(discord.embeds[0].fields).toContainEqual({ name: 'Last log lines', value: 'killed: out of memory', inline: true });
    const ntfy = receiver.at(paths.ntfy)[0];
    expect(ntfy.headers).toMatchObject({ priority: '5', click: payload.url });
    expect(Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(ntfy.headers.title as string)![1], 'base64').toString()).toBe(title);
    expect(ntfy.body).toBe([payload.alert.message, 'Host: host-a', 'Container: api-1', 'Value: 97.5', 'Exit code: 137', 'OOM killed: yes', 'Restart count: 3', 'Last log lines: killed: out of memory'].join('\n'));
  });

  it('sends email through the SMTP server', async () => {
    const to = [`oncall-${randomUUID().slice(0, 6)}@example.test`];
    const { id } = await queueOne(await createChannel(t, subject.tenant, 'email', { to }));
    await waitFor(() => notification(t, id), sentStatus);
    const mail = smtp.mails.find((m) => m.to[0] === to[0])!;
    expect(mail.from).toBe('alerts@dockpulse.test');
    expect(decodeHeader(/^Subject: (.*(?:\r?\n\s.*)*)/m.exec(mail.data)![1])).toBe('[DockPulse critical] [FIRING] High CPU — api-1 on host-a');
    expect(mail.data).toContain('cpuPercent 97.5 > 90 over 5m');
    expect(mail.data).toContain('Exit code: 137');
  });

  it('withdraws pending notifications never tried (cancelPending), leaving tried ones and other events', async () => {
    const channelId = await webhook(hookPath());
    const alertId = await insertAlert(t, subject);
    const later = new Date(Date.now() + 60_000);
    const item = (event: 'firing' | 'resolved') => ({ alertId, channelId, event, payload: alertEvent(alertId, subject.hostId, event), notBefore: later });
    const [resolved, tried, firing] = await enqueue(t, [item('resolved'), item('resolved'), item('firing')], async (tx, ids) => {
      await tx.query(`UPDATE alert_notifications SET attempts = 1, last_error = 'The receiver answered 503' WHERE id = $1`, [ids[1]]);
    });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(Number(/^dockpulse_notifications_pending (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(3);

    const outbox = t.app.get(Outbox);
    expect(await t.sql.transaction((tx) => outbox.cancelPending(tx, alertId, 'resolved'))).toBe(1);
    expect(await notification(t, resolved)).toBeUndefined();
    expect(await notification(t, tried)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await notification(t, firing)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await t.sql.transaction((tx) => outbox.cancelPending(tx, alertId, 'resolved'))).toBe(0);
  });

  it('respects a lease held by another instance, and sends again with the same id once it runs out', async () => {
    const path = hookPath();
    const channelId = await webhook(path);
    const alertId = await insertAlert(t, subject);
    const [id] = await enqueue(t, [{ alertId, channelId, event: 'firing', payload: alertEvent(alertId, subject.hostId) }], async (tx, ids) => {
      // Another instance claimed it and is (as far as anyone knows) sending it for 1.5 s more.
      await tx.query(`UPDATE alert_notifications SET attempts = 1, lease_until = now() + interval '1500 milliseconds' WHERE id = $1`, [ids[0]]);
    });
    await sleep(1_000);
    expect(receiver.at(path)).toHaveLength(0);
    expect(await notification(t, id)).toMatchObject({ status: 'pending', attempts: 1 });
    const row = await waitFor(() => notification(t, id), sentStatus);
    expect(row.attempts).toBe(2);
    expect(receiver.at(path).map((r) => r.headers['x-dockpulse-delivery'])).toEqual([id]);
  });

  it(`drains 2,000 pending notifications with never more than ${SEND_CONCURRENCY} sends at once`, async () => {
    const path = hookPath();
    receiver.answer(path, () => ({ status: 200, delayMs: 5 }));
    const channelId = await webhook(path);
    const alertId = await insertAlert(t, subject);
    const payload = alertEvent(alertId, subject.hostId);
    const dispatcher = t.app.get(OutboxDispatcher);
    dispatcher.peakInFlight = 0;
    receiver.resetPeak();
    const sentBefore = t.app.get(OutboxStats).sent.webhook ?? 0;
    const ids = await enqueue(t, Array.from({ length: 2_000 }, () => ({ alertId, channelId, event: 'firing' as const, payload })));
    await waitFor(() => receiver.at(path).length, (n) => n >= 2_000, 120_000);
    await waitFor(() => t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_notifications WHERE alert_id = $1 AND status = 'sent'`, [alertId]), ([{ n }]) => n === 2_000, 30_000);
    await sleep(200);
    expect(receiver.at(path)).toHaveLength(2_000);
    expect(new Set(receiver.at(path).map((r) => r.headers['x-dockpulse-delivery']))).toEqual(new Set(ids));
    expect(receiver.peakConcurrent).toBeLessThanOrEqual(SEND_CONCURRENCY);
    expect(dispatcher.peakInFlight).toBeLessThanOrEqual(SEND_CONCURRENCY);
    // The bound is used, not just respected.
    expect(receiver.peakConcurrent).toBeGreaterThan(SEND_CONCURRENCY / 2);
    expect(t.app.get(OutboxStats).sent.webhook).toBe(sentBefore + 2_000);
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`^dockpulse_notifications_sent_total\\{channel_type="webhook"\\} ${sentBefore + 2_000}$`, 'm'));
    expect(metrics.text).toMatch(/^dockpulse_notifications_retries_total \d+$/m);
  }, 180_000);
});

describe('alert notification outbox: giving up', () => {
  it('marks a notification failed with the last error once NOTIFY_GIVE_UP_AFTER has passed since it was queued', async () => {
    const receiver = await startHttpReceiver();
    const database = await privateDatabase();
    const t = await startTestApp({ ...ENV, ...database.env, NOTIFY_GIVE_UP_AFTER: '1500ms', NOTIFY_RETRY_MAX: '300ms' });
    try {
      const subject = await alertSubject(t);
      const path = hookPath();
      receiver.answer(path, () => ({ status: 503, body: 'maintenance' }));
      const channelId = await createChannel(t, subject.tenant, 'webhook', { url: `${receiver.base}${path}` });
      const alertId = await insertAlert(t, subject);
      const [id] = await enqueue(t, [{ alertId, channelId, event: 'firing', payload: alertEvent(alertId, subject.hostId) }]);
      const row = await waitFor(() => notification(t, id), (r) => r?.status === 'failed');
      expect(row.last_error).toBe('The receiver answered 503: maintenance');
      expect(row.attempts).toBeGreaterThanOrEqual(3);
      expect(receiver.at(path)).toHaveLength(row.attempts);
      // The last attempt is made at the give-up time, not before it.
      const [{ lasted }] = await t.sql.query<{ lasted: number }>(`SELECT extract(epoch FROM next_attempt_at - created_at) * 1000 AS lasted FROM alert_notifications WHERE id = $1`, [id]);
      expect(Number(lasted)).toBeCloseTo(1_500, -1);
      await sleep(500);
      expect(receiver.at(path)).toHaveLength(row.attempts);
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^dockpulse_notifications_failed_total\{channel_type="webhook"\} 1$/m);
      expect(metrics.text).toMatch(new RegExp(`^dockpulse_notifications_retries_total ${row.attempts - 1}$`, 'm'));
    } finally {
      await t.close();
      await database.drop();
      await receiver.close();
    }
  });
});

describe('alert notification outbox: restarts and several instances', () => {
  it('delivers what was pending across a restart exactly once, and never resends what was sent', async () => {
    const receiver = await startHttpReceiver();
    const database = await privateDatabase();
    const dataDir = tempDir();
    let t = await startTestApp({ ...ENV, ...database.env, DATA_DIR: dataDir });
    try {
      const subject = await alertSubject(t);
      const path = hookPath();
      const channelId = await createChannel(t, subject.tenant, 'webhook', { url: `${receiver.base}${path}` });
      const alertId = await insertAlert(t, subject);
      const item = (notBefore?: Date) => ({ alertId, channelId, event: 'firing' as const, payload: alertEvent(alertId, subject.hostId), notBefore });
      const [sent] = await enqueue(t, [item()]);
      await waitFor(() => notification(t, sent), sentStatus);
      // A send under way when the server stops is finished and recorded before the database closes.
      const slowPath = hookPath();
      receiver.answer(slowPath, () => ({ status: 200, delayMs: 1_000 }));
      const slowChannelId = await createChannel(t, subject.tenant, 'webhook', { url: `${receiver.base}${slowPath}` });
      const [slow] = await enqueue(t, [{ ...item(), channelId: slowChannelId }]);
      await waitFor(() => receiver.at(slowPath).length, (n) => n === 1);
      const [held] = await enqueue(t, [item(new Date(Date.now() + 1_500))]);
      await t.close();

      t = await startTestApp({ ...ENV, ...database.env, DATA_DIR: dataDir });
      expect(await notification(t, slow)).toMatchObject({ status: 'sent', attempts: 1 });
      const row = await waitFor(() => notification(t, held), sentStatus);
      expect(row.attempts).toBe(1);
      await sleep(1_200);
      expect(receiver.at(path).map((r) => r.headers['x-dockpulse-delivery'])).toEqual([sent, held]);
      expect(receiver.at(slowPath)).toHaveLength(1);
    } finally {
      await t.close();
      await database.drop();
      await receiver.close();
    }
  });

  (process.env.DATABASE_URL ? it : it.skip)('lets two instances on one PostgreSQL database share the work: 200 rows, each delivered once', async () => {
    const receiver = await startHttpReceiver();
    const database = await privateDatabase();
    const first = await startTestApp({ ...ENV, ...database.env });
    const second = await startTestApp({ ...ENV, ...database.env });
    try {
      const subject = await alertSubject(first);
      const path = hookPath();
      receiver.answer(path, () => ({ status: 200, delayMs: 20 }));
      const channelId = await createChannel(first, subject.tenant, 'webhook', { url: `${receiver.base}${path}` });
      const alertId = await insertAlert(first, subject);
      const ids = await enqueue(first, Array.from({ length: 200 }, () => ({ alertId, channelId, event: 'firing' as const, payload: alertEvent(alertId, subject.hostId) })));
      second.app.get(Outbox).wake();
      await waitFor(() => first.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_notifications WHERE alert_id = $1 AND status = 'sent'`, [alertId]), ([{ n }]) => n === 200, 60_000);
      await sleep(300);
      const deliveries = receiver.at(path).map((r) => r.headers['x-dockpulse-delivery']);
      expect(deliveries).toHaveLength(200);
      expect(new Set(deliveries)).toEqual(new Set(ids));
      const [firstSent, secondSent] = [first, second].map((app) => app.app.get(OutboxStats).sent.webhook ?? 0);
      expect(firstSent + secondSent).toBe(200);
      expect(firstSent).toBeGreaterThan(0);
      expect(secondSent).toBeGreaterThan(0);
      const [{ retried }] = await first.sql.query<{ retried: number }>(`SELECT count(*)::int AS retried FROM alert_notifications WHERE alert_id = $1 AND attempts <> 1`, [alertId]);
      expect(retried).toBe(0);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
      await receiver.close();
    }
  }, 120_000);
});
