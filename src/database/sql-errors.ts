/** The SQLSTATE of a database error (pg and PGlite both set `code`), looking through wrapping causes. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Whether the statement failed because of the values it was given (data exception, integrity
 * constraint, program limit): retrying the same input fails the same way.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && ['22', '23', '54'].includes(state.slice(0, 2));
}

/** A deadlock or serialization failure: the transaction lost a race and succeeds when retried. */
export function isTransactionConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/** The statement ran past its statement_timeout (57014): less work per statement may fit. */
export function isStatementTimeout(error: unknown): boolean {
  return sqlState(error) === '57014';
}
