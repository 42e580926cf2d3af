/**
 * What a failed database call means for the rows or frame that caused it, from the PostgreSQL
 * SQLSTATE (pg and PGlite both put it in `code`) or, for connection failures, the driver's error:
 * - data errors: the statement's input is refused and will be refused again (refuse the input);
 * - unavailable: the database cannot be reached now (retry later, answer `unavailable`);
 * - transient: the database is up but this attempt lost a race (a conflict: retry at once) or
 *   lacked a resource (busy: resend later).
 * Anything else is neither: a bug or a broken schema, retried by the buffer and answered `internal` elsewhere.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', // PostgreSQL: shutdown, connection failures
  'P1001', 'P1002', 'P1017', // Prisma: cannot reach / timed out / closed
]);
const UNAVAILABLE_MESSAGE = /connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|can't reach database|connection (?:is )?closed|Connection ended|terminating connection/i;

const CONFLICT_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '55006', // object_in_use
  'P2034', // Prisma: write conflict or deadlock
]);
const BUSY_CODES = new Set([
  '57014', // query_canceled (statement_timeout)
  '53000', '53100', '53200', '53300', '53400', // insufficient resources: disk full, out of memory, too many connections
  'P2037', // Prisma: too many connections
]);

/**
 * Class 22 (data exception: out of range, invalid text, untranslatable character …), class 23
 * (integrity: check, not null, no partition for the row; conflicts are ON CONFLICT's and never
 * surface) and the few others a row's values alone can cause.
 */
const DATA_CODES = new Set([
  '42804', // datatype_mismatch
  '54000', // program_limit_exceeded: e.g. an index row too large for its value
  'P2000', 'P2011', 'P2020', // Prisma: value too long, null constraint, value out of range
]);

function codes(error: unknown): { code?: string; message?: string }[] {
  const found: { code?: string; message?: string }[] = [];
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) {
    found.push({ code: typeof e.code === 'string' ? e.code : undefined, message: typeof e.message === 'string' ? e.message : undefined });
  }
  return found;
}

/** Whether an error means "the database cannot be reached right now" (worth retrying later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codes(error).some(({ code, message }) => (code !== undefined && UNAVAILABLE_CODES.has(code)) || (message !== undefined && UNAVAILABLE_MESSAGE.test(message)));
}

/** Whether this attempt lost a race with another transaction (deadlock, serialization, lock timeout): worth retrying at once. */
export function isDatabaseConflict(error: unknown): boolean {
  return codes(error).some(({ code }) => code !== undefined && CONFLICT_CODES.has(code));
}

/** Whether the database is up but refused this attempt for a reason that goes away: a conflict, or a lack of time or resources. */
export function isTransientDatabaseError(error: unknown): boolean {
  return codes(error).some(({ code }) => code !== undefined && (CONFLICT_CODES.has(code) || BUSY_CODES.has(code)));
}

/** Whether the statement's input itself was refused: the same rows would be refused again. */
export function isDataError(error: unknown): boolean {
  return codes(error).some(({ code }) => code !== undefined && (DATA_CODES.has(code) || (/^2[23][0-9A-Z]{3}$/.test(code))));
}

/** Whether a unique index refused the row (23505): someone else wrote it first. */
export function isUniqueViolation(error: unknown): boolean {
  return codes(error).some(({ code }) => code === '23505' || code === 'P2002');
}

/** Whether a foreign key refused the row (23503): what it refers to is gone (deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return codes(error).some(({ code }) => code === '23503' || code === 'P2003');
}
