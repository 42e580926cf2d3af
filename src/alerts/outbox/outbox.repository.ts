import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SqlClient, type SqlExecutor } from '../../database/sql-client.js';
import type { AlertEvent, AlertEventName } from '../alert.view.js';

export interface OutboxItem {
  alertId: string;
  channelId: string;
  event: AlertEventName;
  payload: AlertEvent;
  /** Not sent before this time (a held-back "resolved", a reminder). */
  notBefore?: Date;
}

export interface ClaimedNotification {
  id: string;
  channelId: string;
  organizationId: string;
  attempts: number;
  payload: AlertEvent;
}

const MS = `* interval '1 millisecond'`;

/** The alert_notifications table: queued in the caller's transaction, claimed under a lease, settled one by one. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: SqlClient) {}

  /** One statement for all items; the ids are made here, so they come back in the items' order. */
  async insert(tx: SqlExecutor, items: OutboxItem[]): Promise<string[]> {
    if (!items.length) return [];
    const rows = items.map((item) => ({
      id: randomUUID(),
      alert_id: item.alertId,
      channel_id: item.channelId,
      event: item.event,
      payload: item.payload,
      not_before: item.notBefore?.toISOString() ?? null,
    }));
    await tx.query(
      `INSERT INTO alert_notifications (id, alert_id, channel_id, event, payload, next_attempt_at)
       SELECT r.id, r.alert_id, r.channel_id, r.event, r.payload, COALESCE(r.not_before, now())
       FROM json_to_recordset($1::json) AS r(id uuid, alert_id uuid, channel_id uuid, event text, payload jsonb, not_before timestamptz)`,
      [JSON.stringify(rows)],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes the alert's notifications of `event` that no instance has tried yet; how many. */
  async cancelPending(tx: SqlExecutor, alertId: string, event: AlertEventName): Promise<number> {
    const rows = await tx.query(`DELETE FROM alert_notifications WHERE alert_id = $1 AND event = $2 AND status = 'pending' AND attempts = 0 RETURNING id`, [alertId, event]);
    return rows.length;
  }

  /**
   * Leases up to `limit` due notifications to this instance and counts the attempt. SKIP LOCKED
   * and the lease keep instances off each other's rows; a lease that runs out (its instance died
   * mid-send) makes the row due again.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    const rows = await this.sql.query<{ id: string; channel_id: string; organization_id: string; attempts: number; payload: AlertEvent }>(
      `UPDATE alert_notifications n SET lease_until = now() + $2::double precision ${MS}, attempts = n.attempts + 1
       FROM alerts a
       WHERE a.id = n.alert_id AND n.id IN (
         SELECT id FROM alert_notifications
         WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.channel_id, a.organization_id, n.attempts, n.payload`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({ id: row.id, channelId: row.channel_id, organizationId: row.organization_id, attempts: row.attempts, payload: row.payload }));
  }

  async markSent(ids: string[]): Promise<void> {
    await this.sql.query(`UPDATE alert_notifications SET status = 'sent', sent_at = now(), lease_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.sql.query(`UPDATE alert_notifications SET status = 'failed', last_error = $2, lease_until = NULL WHERE id = $1 AND status = 'pending'`, [id, error]);
  }

  /**
   * Records a failed attempt: due again after `delayMs`, but no later than the give-up time, and
   * failed for good once that has passed. Answers the new status and when it is due.
   */
  async markAttemptFailed(id: string, error: string, delayMs: number, giveUpMs: number): Promise<{ status: 'pending' | 'failed'; nextAttemptAt: Date } | undefined> {
    const [row] = await this.sql.query<{ status: 'pending' | 'failed'; next_attempt_at: Date }>(
      `UPDATE alert_notifications SET
         status = CASE WHEN now() >= created_at + $4::double precision ${MS} THEN 'failed' ELSE 'pending' END,
         last_error = $2,
         next_attempt_at = LEAST(now() + $3::double precision ${MS}, created_at + $4::double precision ${MS}),
         lease_until = NULL
       WHERE id = $1 AND status = 'pending'
       RETURNING status, next_attempt_at`,
      [id, error, delayMs, giveUpMs],
    );
    return row && { status: row.status, nextAttemptAt: new Date(row.next_attempt_at) };
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM alert_notifications WHERE status = 'pending'`);
    return row.count;
  }
}
