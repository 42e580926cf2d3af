// TEMPORARY stand-in until the outbox branch lands; replaced by it.
import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { AlertEvent, AlertEventName } from '../alert.view.js';

export interface OutboxItem {
  alertId: string;
  channelId: string;
  event: AlertEventName;
  payload: AlertEvent;
  notBefore?: Date;
}

@Injectable()
export class Outbox {
  async enqueue(tx: SqlExecutor, items: OutboxItem[]): Promise<string[]> {
    const ids: string[] = [];
    for (const item of items) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO alert_notifications (alert_id, channel_id, event, payload, next_attempt_at) VALUES ($1::uuid, $2::uuid, $3, $4::jsonb, coalesce($5::timestamptz, now())) RETURNING id`,
        [item.alertId, item.channelId, item.event, JSON.stringify(item.payload), item.notBefore ?? null],
      );
      ids.push(row.id);
    }
    return ids;
  }

  async cancelPending(tx: SqlExecutor, alertId: string, event: AlertEventName): Promise<number> {
    const rows = await tx.query(`DELETE FROM alert_notifications WHERE alert_id = $1::uuid AND event = $2 AND status = 'pending' AND attempts = 0 RETURNING id`, [alertId, event]);
    return rows.length;
  }

  wake(): void {}
}
