/** What dashboards are pushed: the frame types of CONTRACT.md's `/live` socket. */
export type LiveFrameType = 'metrics' | 'host_metrics' | 'logs' | 'containers' | 'host_status' | 'command';

export interface LiveFrame {
  type: LiveFrameType;
  data: unknown;
}

export type BusListener = (topic: string, frame: LiveFrame) => void;

/** Bus topic of an organization's command transitions (dashboards subscribe to it as `commands`). */
export const commandsTopic = (organizationId: string) => `commands:${organizationId}`;
/** The `/live` topics of CONTRACT.md, built the same way by publishers and subscribers. */
export const hostTopic = (hostId: string) => `host:${hostId}`;
export const hostMetricsTopic = (hostId: string) => `host:${hostId}:metrics`;
export const containerMetricsTopic = (containerId: string) => `container:${containerId}:metrics`;
export const containerLogsTopic = (containerId: string) => `container:${containerId}:logs`;

/**
 * The one seam between ingestion (publishers) and live fan-out (subscribers). Topics are the
 * dashboard topics of CONTRACT.md (`host:<id>`, `host:<id>:metrics`, `container:<id>:metrics`,
 * `container:<id>:logs`) plus `commands:<organizationId>`. In-process by default; a Redis pub/sub
 * implementation can replace it without touching either side.
 */
export abstract class EventBus {
  /** Delivers `frame` to every subscriber of `topic`; never throws, never waits for them. */
  abstract publish(topic: string, frame: LiveFrame): void;

  /** Registers `listener` for `topic`; returns the function that removes it. */
  abstract subscribe(topic: string, listener: BusListener): () => void;

  /**
   * Whether anyone may be listening on `topic`, so a publisher can skip building a frame nobody
   * reads. A networked bus that cannot know answers true.
   */
  abstract hasSubscribers(topic: string): boolean;
}
