/**
 * What dashboards are pushed: a frame type of CONTRACT.md's `/live` socket and its data, either as
 * a value (`data`) or already serialized as JSON (`json`): publishers on the ingest path build the
 * text straight from their rows, without an object per row only to stringify it.
 */
export type LiveFrame = { type: string; data: unknown; json?: undefined } | { type: string; json: string; data?: undefined };

/** `{"type":…,"topic":…,"data":…}` (no topic between instances), without reserializing data a publisher serialized already. */
export function frameText(frame: LiveFrame, topic?: string): string {
  const data = frame.json ?? JSON.stringify(frame.data);
  return `{"type":${JSON.stringify(frame.type)}${topic === undefined ? '' : `,"topic":${JSON.stringify(topic)}`},"data":${data}}`;
}

export type BusListener = (topic: string, frame: LiveFrame) => void;

/**
 * The one seam between ingestion (publishers) and live fan-out (subscribers). Topics are the
 * forms declared with defineLiveTopic (events/live-topic.ts). In-process by default; with REDIS_URL,
 * RedisEventBus carries frames between instances without either side knowing.
 */
export abstract class EventBus {
  /** Delivers `frame` to every subscriber of `topic`; never throws, never waits for them. */
  abstract publish(topic: string, frame: LiveFrame): void;

  /** Registers `listener` for `topic`; returns the function that removes it. */
  abstract subscribe(topic: string, listener: BusListener): () => void;

  /**
   * Whether anyone may be listening on `topic`, so a publisher can skip building a frame nobody
   * reads. A networked bus that cannot know answers true (RedisEventBus knows: instances tell each other their topics).
   */
  abstract hasSubscribers(topic: string): boolean;
}
