import type { EventBus } from './event-bus.js';

/**
 * Publishes one frame per container of `rows` on `topicOf(containerId)`, built only for containers
 * somebody watches (the common case is nobody, and then nothing is built).
 */
export function publishByContainer<Row extends { container_id: string }>(
  bus: EventBus,
  type: string,
  topicOf: (containerId: string) => string,
  rows: Row[],
  toItem: (row: Row) => object,
): void {
  const watched = new Map<string, object[] | null>();
  for (const row of rows) {
    let items = watched.get(row.container_id);
    if (items === undefined) watched.set(row.container_id, (items = bus.hasSubscribers(topicOf(row.container_id)) ? [] : null));
    items?.push(toItem(row));
  }
  for (const [containerId, data] of watched) if (data) bus.publish(topicOf(containerId), { type, data });
}
