/**
 * The server's side of the agent protocol. The wire types, error codes and limits live in
 * @dockpulse/protocol, shared with the reference agent and the simulator; re-exported here so
 * server code imports them from one place beside what only the server needs.
 */
import type { ErrorCode, ErrorFrame } from '@dockpulse/protocol';

export { ERROR_CODES, MAX_ITEMS, MAX_PAYLOAD_BYTES } from '@dockpulse/protocol';
export type { AckFrame, CommandFrame, ErrorCode, ErrorFrame, FieldError, FrameAnswer, ServerFrame, WelcomeFrame } from '@dockpulse/protocol';

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
