import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import type { AlertRow, NotificationRow } from './alert-row.js';

export interface AlertFilter {
  state: 'firing' | 'resolved' | 'all';
  hostId?: string;
  containerId?: string;
  ruleId?: string;
  from?: Date;
  to?: Date;
  /** Strictly older than this (startedAt, id) in the newest-first order. */
  after?: { startedAt: Date; id: string };
  limit: number;
}

const SELECT = `SELECT a.*, h.name AS host_name FROM alerts a JOIN hosts h ON h.id = a.host_id`;

/** Reads of alerts, always within one organization. */
@Injectable()
export class AlertsQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  list(organizationId: string, filter: AlertFilter): Promise<AlertRow[]> {
    const where = ['a.organization_id = $1::uuid'];
    const params: unknown[] = [organizationId];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.state !== 'all') add((p) => `a.state = ${p}`, filter.state);
    if (filter.hostId) add((p) => `a.host_id = ${p}::uuid`, filter.hostId);
    if (filter.containerId) add((p) => `a.container_id = ${p}::uuid`, filter.containerId);
    if (filter.ruleId) add((p) => `a.rule_id = ${p}::uuid`, filter.ruleId);
    if (filter.from) add((p) => `a.started_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `a.started_at < ${p}`, filter.to);
    if (filter.after) {
      params.push(filter.after.startedAt, filter.after.id);
      where.push(`(a.started_at, a.id) < ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    return this.sql.query<AlertRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.started_at DESC, a.id DESC LIMIT $${params.length}`, params);
  }

  async find(organizationId: string, id: string): Promise<AlertRow | undefined> {
    const [row] = await this.sql.query<AlertRow>(`${SELECT} WHERE a.organization_id = $1::uuid AND a.id = $2::uuid`, [organizationId, id]);
    return row;
  }

  notifications(alertIds: string[]): Promise<NotificationRow[]> {
    if (!alertIds.length) return Promise.resolve([]);
    return this.sql.query<NotificationRow>(
      `SELECT alert_id, channel_id, event, status, attempts, last_error, sent_at FROM alert_notifications
       WHERE alert_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [alertIds],
    );
  }
}
