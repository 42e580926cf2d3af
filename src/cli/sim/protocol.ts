/**
 * The agent protocol of CONTRACT.md as the simulator sees it from outside. Written from the
 * contract alone (not imported from the server) so the simulator checks the server, not itself.
 */

/** Telemetry the simulator streams on every interval (and `containers` once per connection). */
export const TELEMETRY_KINDS = ['metrics', 'host_metrics', 'logs', 'processes'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];
export type RowKind = TelemetryKind | 'containers';
export type FrameType = RowKind | 'hello' | 'command_result';

/** An agent → server frame before it is given a seq. */
export interface OutboundFrame {
  type: FrameType;
  [field: string]: unknown;
}

export interface WelcomeFrame {
  type: 'welcome';
  hostId: string;
  serverTime: string;
  limits: { maxPayloadBytes: number; maxItems: number };
}

export interface AckFrame {
  type: 'ack';
  seq: number;
}

export interface ErrorFrame {
  type: 'error';
  seq: number | null;
  code: string;
  message: string;
  details?: { path: string; message: string }[];
  retryAfterMs?: number;
}

export interface CommandFrame {
  type: 'command';
  commandId: string;
  action: string;
  containerId: string;
  timeoutMs: number;
}

export type ServerFrame = WelcomeFrame | AckFrame | ErrorFrame | CommandFrame;

/** Answers that mean "nothing was stored, send it again after retryAfterMs". */
export const RETRYABLE_CODES = new Set(['overloaded', 'rate_limited', 'unavailable']);

/** Close codes the server uses beyond the standard ones (README "Connections"). */
export const CLOSE_REPLACED = 4001;
export const CLOSE_REVOKED = 4003;

/** CONTRACT.md "container object". */
export interface ContainerObject {
  dockerId: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: string;
  status: string;
  ports: { privatePort: number; publicPort?: number; type: 'tcp' | 'udp' }[];
  labels: Record<string, string>;
  startedAt: string;
}
