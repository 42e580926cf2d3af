import { randomUUID } from 'node:crypto';
import type { AlertEvent, AlertEventName } from '../../src/alerts/alert.view.js';
import { Outbox } from '../../src/alerts/outbox/outbox.js';
import type { OutboxItem } from '../../src/alerts/outbox/outbox.repository.js';
import { enrolledHost, signup, type Tenant } from './factories.js';
import type { TestApp } from './test-app.js';

export interface Subject {
  tenant: Tenant;
  hostId: string;
}

/** An organization with one host, to hang alerts on. */
export async function alertSubject(t: TestApp): Promise<Subject> {
  const tenant = await signup(t);
  const { hostId } = await enrolledHost(t, tenant, 'host-a');
  return { tenant, hostId };
}

/** An alert row as the evaluator would open it (the evaluator itself is not needed here). */
export async function insertAlert(t: TestApp, { tenant, hostId }: Subject): Promise<string> {
  const [row] = await t.sql.query<{ id: string }>(
    `INSERT INTO alerts (organization_id, rule_name, severity, state, subject_key, host_id, subject_name, value, message)
     VALUES ($1, 'High CPU', 'critical', 'firing', $2, $3, 'api-1', 97.5, 'cpuPercent 97.5 > 90 over 5m') RETURNING id`,
    [tenant.organizationId, `container:${randomUUID()}`, hostId],
  );
  return row.id;
}

/** The alert event the outbox carries, with a crash context so every field is rendered. */
export function alertEvent(alertId: string, hostId: string, event: AlertEventName = 'firing'): AlertEvent {
  return {
    type: 'alert',
    event,
    url: `https://dockpulse.example/alerts/${alertId}`,
    alert: {
      id: alertId,
      ruleId: null,
      ruleName: 'High CPU',
      severity: 'critical',
      state: event === 'resolved' ? 'resolved' : 'firing',
      subject: { hostId, containerId: randomUUID(), name: 'api-1', hostName: 'host-a' },
      startedAt: '2026-12-01T10:00:00.000Z',
      resolvedAt: event === 'resolved' ? '2026-12-01T10:07:00.000Z' : null,
      value: 97.5,
      message: 'cpuPercent 97.5 > 90 over 5m',
      silenced: false,
      mutedBy: null,
      notifications: [],
      context: { exitCode: 137, oomKilled: true, restartCount: 3, lastLogLines: [{ ts: '2026-12-01T09:59:59.000Z', stream: 'stderr', line: 'killed: out of memory' }] },
    },
  };
}

/** A channel made through the REST API, as an admin would. */
export async function createChannel(t: TestApp, tenant: Tenant, type: string, config: Record<string, unknown>): Promise<string> {
  const res = await t.http().post('/api/notification-channels').auth(tenant.token, { type: 'bearer' }).send({ name: `${type} ${randomUUID().slice(0, 6)}`, type, config }).expect(201);
  return res.body.id;
}

/** Queues in one transaction and wakes the dispatcher after the commit, as the evaluator does. */
export async function enqueue(t: TestApp, items: OutboxItem[], inTransaction?: (tx: Parameters<Parameters<TestApp['sql']['transaction']>[0]>[0], ids: string[]) => Promise<void>): Promise<string[]> {
  const outbox = t.app.get(Outbox);
  const ids = await t.sql.transaction(async (tx) => {
    const queued = await outbox.enqueue(tx, items);
    await inTransaction?.(tx, queued);
    return queued;
  });
  outbox.wake();
  return ids;
}

export interface NotificationRow {
  id: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

export async function notification(t: TestApp, id: string): Promise<NotificationRow | undefined> {
  const [row] = await t.sql.query<NotificationRow>('SELECT id, status, attempts, last_error, sent_at, created_at FROM alert_notifications WHERE id = $1', [id]);
  return row;
}

/** Polls `read` until `done` holds, or fails after `timeoutMs` with the last value seen. */
export async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
