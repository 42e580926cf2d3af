import type { EventBus } from './event-bus.js';

/**
 * Publishes one frame per container of `rows` on `topicOf(containerId)`, built only for containers
 * somebody watches (the common case is nobody, and then nothing is built). `itemJson` writes one
 * row's item as JSON text: at saturation with dashboards watching, an object per row only to
 * stringify it cost more than the text (docs/ingest-performance.md, "Fifth round").
 */
export function publishByContainer<Row extends { container_id: string }>(
  bus: EventBus,
  type: string,
  topicOf: (containerId: string) => string,
  rows: Row[],
  itemJson: (row: Row) => string,
): void {
  const watched = new Map<string, string[] | null>();
  for (const row of rows) {
    let items = watched.get(row.container_id);
    if (items === undefined) watched.set(row.container_id, (items = bus.hasSubscribers(topicOf(row.container_id)) ? [] : null));
    items?.push(itemJson(row));
  }
  for (const [containerId, items] of watched) if (items) bus.publish(topicOf(containerId), { type, json: `[${items.join(',')}]` });
}
