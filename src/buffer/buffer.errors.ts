/** The buffer is full while the database keeps up: the sender should slow down and resend. */
export class BufferOverloadedError extends Error {
  override readonly name = 'BufferOverloadedError';

  constructor(readonly retryAfterMs: number) {
    super(`Batching buffer is full; retry in ${retryAfterMs} ms`);
  }
}

/** The buffer is full because flushes to the database are failing: nothing will drain until it recovers. */
export class BufferUnavailableError extends Error {
  override readonly name = 'BufferUnavailableError';

  constructor(readonly retryAfterMs: number) {
    super(`Batching buffer is full while the database is unavailable; retry in ${retryAfterMs} ms`);
  }
}
