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

/** Nothing was stored; the server asks to resend after `retryAfterMs`. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set<ErrorCode>(['overloaded', 'rate_limited', 'unavailable']);
/** The frame itself is wrong: resending the same bytes can only be refused again. */
export const PERMANENT_CODES: ReadonlySet<string> = new Set<ErrorCode>(['invalid_json', 'invalid_message', 'unknown_type', 'too_many_items']);

export interface FieldError {
  /** Where in the frame, e.g. `data[3].cpuPercent` or `seq`. */
  path: string;
  message: string;
}
