/**
 * The agent protocol of CONTRACT.md as types: every frame the server sends an agent, and the
 * error codes. One generic `send` in the gateway takes a ServerFrame.
 */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_message',
  'unknown_type',
  'too_many_items',
  'rate_limited',
  'overloaded',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** Where in the frame, e.g. `data[3].cpuPercent` or `seq`. */
  path: string;
  message: string;
}

export interface AckFrame {
  type: 'ack';
  seq: number;
}

export interface ErrorFrame {
  type: 'error';
  seq: number | null;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
  retryAfterMs?: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  hostId: string;
  serverTime: string;
  limits: { maxPayloadBytes: number; maxItems: number };
}

export interface CommandFrame {
  type: 'command';
  commandId: string;
  action: string;
  containerId: string;
  timeoutMs: number;
}

export type ServerFrame = AckFrame | ErrorFrame | WelcomeFrame | CommandFrame;
export type FrameAnswer = AckFrame | ErrorFrame;

/** Largest frame accepted on the socket (bigger ones close it with 1009) and over REST. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Most items in one frame's `data` (more is `too_many_items`). */
export const MAX_ITEMS = 5000;
/** Rows stamped further ahead than this are `invalid_message`. */
export const MAX_FUTURE_MS = 10 * 60_000;

/** HTTP status for an error frame answered over REST (POST /api/agent/ingest). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_message: 400,
  unknown_type: 400,
  too_many_items: 413,
  rate_limited: 429,
  overloaded: 503,
  unavailable: 503,
  internal: 500,
};

export function errorFrame(seq: number | null, code: ErrorCode, message: string, extra: Partial<ErrorFrame> = {}): ErrorFrame {
  return { type: 'error', seq, code, message, ...extra };
}
