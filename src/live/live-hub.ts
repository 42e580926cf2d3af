import { Injectable } from '@nestjs/common';
import { EventBus, frameText, type LiveFrame } from '../events/event-bus.js';
import type { LiveConnection } from './live-connection.js';
import type { LiveTopic } from './live-topics.js';

interface TopicEntry {
  topic: string;
  subscribers: Set<LiveConnection>;
  unsubscribe: () => void;
}

/**
 * Fan-out from the event bus to dashboard sockets: one bus listener per topic however many
 * dashboards watch it, each published frame serialized once and the same text sent to all of
 * them. When a topic's last dashboard leaves, its bus listener goes too.
 */
@Injectable()
export class LiveHub {
  private readonly byBusTopic = new Map<string, TopicEntry>();

  constructor(private readonly bus: EventBus) {}

  join(connection: LiveConnection, { topic, busTopic }: LiveTopic): void {
    let entry = this.byBusTopic.get(busTopic);
    if (!entry) {
      const subscribers = new Set<LiveConnection>();
      const unsubscribe = this.bus.subscribe(busTopic, (_, frame) => this.fanOut(topic, subscribers, frame));
      this.byBusTopic.set(busTopic, (entry = { topic, subscribers, unsubscribe }));
    }
    entry.subscribers.add(connection);
    connection.topics.set(topic, busTopic);
  }

  leave(connection: LiveConnection, topic: string): void {
    const busTopic = connection.topics.get(topic);
    if (busTopic === undefined) return;
    connection.topics.delete(topic);
    const entry = this.byBusTopic.get(busTopic);
    if (!entry) return;
    entry.subscribers.delete(connection);
    if (entry.subscribers.size) return;
    entry.unsubscribe();
    this.byBusTopic.delete(busTopic);
  }

  leaveAll(connection: LiveConnection): void {
    for (const topic of [...connection.topics.keys()]) this.leave(connection, topic);
  }

  /** Bus topics with at least one dashboard on this instance. */
  topicCount(): number {
    return this.byBusTopic.size;
  }

  private fanOut(topic: string, subscribers: Set<LiveConnection>, frame: LiveFrame): void {
    // The LiveDataFrame {type, topic, data}, written as text so that data serialized by its publisher is not parsed or rebuilt.
    const text = frameText(frame, topic);
    for (const connection of subscribers) connection.deliver(text);
  }
}
