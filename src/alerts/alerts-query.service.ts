import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { toAlertView } from './alert-row.js';
import type { AlertView } from './alert.view.js';
import { AlertsQueryRepository } from './alerts-query.repository.js';
import type { ListAlertsQuery } from './dto/list-alerts.query.js';

const encodeCursor = (startedAt: string, id: string) => Buffer.from(`${startedAt}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const [startedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(startedAt);
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(at.getTime())) throw new BadRequestException(['cursor must be a nextCursor from a previous answer']);
  return { startedAt: at, id };
}

@Injectable()
export class AlertsQueryService {
  constructor(private readonly alerts: AlertsQueryRepository) {}

  async list(organizationId: string, query: ListAlertsQuery): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new BadRequestException(['from must be before to']);
    const rows = await this.alerts.list(organizationId, {
      state: query.state,
      hostId: query.hostId,
      containerId: query.containerId,
      ruleId: query.ruleId,
      from,
      to,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const notifications = await this.alerts.notifications(page.map((row) => row.id));
    const items = page.map((row) => toAlertView(row, notifications.filter((n) => n.alert_id === row.id)));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.startedAt, last.id) : null };
  }

  async get(organizationId: string, id: string): Promise<AlertView> {
    const row = await this.alerts.find(organizationId, id);
    if (!row) throw new NotFoundException('No such alert in the caller’s organization');
    return toAlertView(row, await this.alerts.notifications([id]));
  }
}
