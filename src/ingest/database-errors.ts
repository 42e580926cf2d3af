const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', // PostgreSQL: shutdown, connection failures
  'P1001', 'P1002', 'P1017', // Prisma: cannot reach / timed out / closed
]);
const UNAVAILABLE_MESSAGE = /connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|can't reach database|connection (?:is )?closed|Connection ended|terminating connection/i;

/** Whether an error means "the database cannot be reached right now" (worth retrying later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
