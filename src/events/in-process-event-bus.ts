import { Injectable, Logger } from '@nestjs/common';
import { EventBus, type BusListener, type LiveFrame } from './event-bus.js';

/** The single-instance bus: a map from topic to listeners, delivered synchronously. */
@Injectable()
export class InProcessEventBus extends EventBus {
  private readonly logger = new Logger(InProcessEventBus.name);
  private readonly listeners = new Map<string, Set<BusListener>>();

  publish(topic: string, frame: LiveFrame): void {
    const listeners = this.listeners.get(topic);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener(topic, frame);
      } catch (error) {
        // One broken subscriber must not stop the others or the publisher (ingestion).
        this.logger.warn(`A listener of ${topic} failed: ${(error as Error).message}`);
      }
    }
  }

  subscribe(topic: string, listener: BusListener): () => void {
    let listeners = this.listeners.get(topic);
    if (!listeners) this.listeners.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (!listeners.size && this.listeners.get(topic) === listeners) this.listeners.delete(topic);
    };
  }

  hasSubscribers(topic: string): boolean {
    return this.listeners.has(topic);
  }
}
