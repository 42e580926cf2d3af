import { Injectable } from '@nestjs/common';
import { SqlClient, type SqlExecutor } from '../../database/sql-client.js';
import type { AlertRow } from '../alert-row.js';

export interface NewAlert {
  organizationId: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  subjectKey: string;
  hostId: string;
  containerId: string | null;
  subjectName: string;
  value: number | null;
  message: string;
  mutedBy: string | null;
  context: Record<string, unknown> | null;
}

/** What the lifecycle remembers of a firing alert. */
export type FiringRow = Pick<AlertRow, 'id' | 'rule_id' | 'subject_key' | 'host_id' | 'container_id' | 'muted_by'>;

const RETURNING = `RETURNING *, (SELECT name FROM hosts WHERE id = host_id) AS host_name`;

/** The lifecycle writes of alerts; each runs inside the caller's transaction. */
@Injectable()
export class AlertStoreRepository {
  constructor(readonly sql: SqlClient) {}

  firing(): Promise<AlertRow[]> {
    return this.sql.query<AlertRow>(`SELECT * FROM alerts WHERE state = 'firing'`);
  }

  /** Every firing alert, only what identifies it (read every few seconds with several instances). */
  firingKeys(): Promise<FiringRow[]> {
    return this.sql.query<FiringRow>(`SELECT id, rule_id, subject_key, host_id, container_id, muted_by FROM alerts WHERE state = 'firing'`);
  }

  findFiring(tx: SqlExecutor, ruleId: string, subjectKey: string): Promise<AlertRow[]> {
    return tx.query<AlertRow>(`SELECT * FROM alerts WHERE rule_id = $1::uuid AND subject_key = $2 AND state = 'firing'`, [ruleId, subjectKey]);
  }

  /**
   * Opens the alert, or does nothing when another (instance) already has one firing for this rule
   * and subject: the partial unique index decides.
   */
  async insert(tx: SqlExecutor, alert: NewAlert): Promise<AlertRow | undefined> {
    const [row] = await tx.query<AlertRow>(
      `INSERT INTO alerts (organization_id, rule_id, rule_name, severity, state, subject_key, host_id, container_id, subject_name, value, message, muted_by, context)
       VALUES ($1::uuid, $2::uuid, $3, $4, 'firing', $5, $6::uuid, $7::uuid, $8, $9, $10, $11, $12::jsonb)
       ON CONFLICT (rule_id, subject_key) WHERE state = 'firing' DO NOTHING ${RETURNING}`,
      [
        alert.organizationId,
        alert.ruleId,
        alert.ruleName,
        alert.severity,
        alert.subjectKey,
        alert.hostId,
        alert.containerId,
        alert.subjectName,
        alert.value,
        alert.message,
        alert.mutedBy,
        alert.context === null ? null : JSON.stringify(alert.context),
      ],
    );
    return row;
  }

  /**
   * Flapping: the same rule and subject resolved less than `holdMs` ago fires again, so that
   * alert is firing again instead of a new one. Undefined when there is none (or a firing one exists).
   */
  async reopen(tx: SqlExecutor, ruleId: string, subjectKey: string, holdMs: number, value: number | null): Promise<AlertRow | undefined> {
    if (holdMs <= 0) return undefined;
    // A concurrent insert by another instance would fail this transaction on the unique index; the caller retries.
    const [row] = await tx.query<AlertRow>(
      `UPDATE alerts SET state = 'firing', resolved_at = NULL, value = $4
       WHERE id = (SELECT id FROM alerts WHERE rule_id = $1::uuid AND subject_key = $2 AND state = 'resolved'
                   AND resolved_at > now() - $3 * interval '1 millisecond' ORDER BY resolved_at DESC LIMIT 1)
         AND NOT EXISTS (SELECT 1 FROM alerts WHERE rule_id = $1::uuid AND subject_key = $2 AND state = 'firing')
       ${RETURNING}`,
      [ruleId, subjectKey, holdMs, value],
    );
    return row;
  }

  async resolve(tx: SqlExecutor, alertId: string): Promise<AlertRow | undefined> {
    const [row] = await tx.query<AlertRow>(`UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE id = $1::uuid AND state = 'firing' ${RETURNING}`, [
      alertId,
    ]);
    return row;
  }

  async markNotified(tx: SqlExecutor, alertId: string): Promise<void> {
    await tx.query(`UPDATE alerts SET last_notified_at = now() WHERE id = $1::uuid`, [alertId]);
  }

  /** Channels of the organization among `ids` (a deleted channel is skipped, not an error). */
  async channels(tx: SqlExecutor, organizationId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await tx.query<{ id: string }>(`SELECT id FROM notification_channels WHERE organization_id = $1::uuid AND id = ANY($2::uuid[])`, [
      organizationId,
      ids,
    ]);
    return rows.map((row) => row.id);
  }

  /**
   * Firing, notified, unmuted alerts whose rule asks for reminders and whose last notification is
   * older than `repeatEvery`; marks them notified now, so one instance takes each reminder.
   */
  dueReminders(tx: SqlExecutor): Promise<(AlertRow & { channel_ids: string[] })[]> {
    return tx.query(
      `UPDATE alerts a SET last_notified_at = now() FROM alert_rules r
       WHERE a.rule_id = r.id AND a.state = 'firing' AND a.muted_by IS NULL AND r.enabled AND r.repeat_every_ms IS NOT NULL
         AND a.last_notified_at IS NOT NULL AND a.last_notified_at <= now() - r.repeat_every_ms * interval '1 millisecond'
       RETURNING a.*, r.channel_ids, (SELECT name FROM hosts WHERE id = a.host_id) AS host_name`,
    );
  }

  /** Firing alerts by severity, all instances together (read at scrape time). */
  async firingBySeverity(): Promise<Record<string, number>> {
    const counts: Record<string, number> = { info: 0, warning: 0, critical: 0 };
    const rows = await this.sql.query<{ severity: string; count: string | number }>(`SELECT severity, count(*) AS count FROM alerts WHERE state = 'firing' GROUP BY severity`);
    for (const row of rows) counts[row.severity] = Number(row.count);
    return counts;
  }
}
