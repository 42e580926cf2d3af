/** What one instance tells the others about the topics its dashboards listen to. */
export interface InterestMessage {
  /** The sender's instance id. */
  i: string;
  /** Its complete set of topics, replacing what was known. */
  all?: string[];
  add?: string[];
  del?: string[];
  /** The sender just (re)connected: everyone answers with `all`. */
  hello?: true;
}

/**
 * The topics other instances have listeners for, learnt from their interest messages, so that
 * `hasSubscribers` stays meaningful on a networked bus and ingestion builds no frame nobody reads.
 * An instance that stops refreshing (it died) is forgotten after `expiryMs`.
 */
export class RemoteInterest {
  private readonly instances = new Map<string, { topics: Set<string>; seenAt: number }>();

  constructor(private readonly expiryMs: number) {}

  /** Applies a message from another instance; answers whether it asked for everyone's topics. */
  apply(message: InterestMessage, now: number): boolean {
    let entry = this.instances.get(message.i);
    if (!entry || message.all) this.instances.set(message.i, (entry = { topics: new Set(message.all ?? entry?.topics), seenAt: now }));
    entry.seenAt = now;
    for (const topic of message.add ?? []) entry.topics.add(topic);
    for (const topic of message.del ?? []) entry.topics.delete(topic);
    return message.hello === true;
  }

  has(topic: string): boolean {
    for (const { topics } of this.instances.values()) if (topics.has(topic)) return true;
    return false;
  }

  expire(now: number): void {
    for (const [id, { seenAt }] of this.instances) if (now - seenAt > this.expiryMs) this.instances.delete(id);
  }

  get instanceCount(): number {
    return this.instances.size;
  }
}
