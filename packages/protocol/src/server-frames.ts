import type { ErrorCode, FieldError } from './errors.js';
import type { Limits } from './limits.js';

export interface WelcomeFrame {
  type: 'welcome';
  hostId: string;
  serverTime: string;
  limits: Limits;
}

export interface AckFrame {
  type: 'ack';
  seq: number;
}

export interface ErrorFrame {
  type: 'error';
  /** null when the frame could not be read at all (`invalid_json`). */
  seq: number | null;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
  /** With `overloaded`, `rate_limited` and `unavailable`. */
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
/** The one answer every agent frame with a `seq` gets. */
export type FrameAnswer = AckFrame | ErrorFrame;
