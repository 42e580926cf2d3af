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

/** The database refused this frame's rows themselves (a value out of range, a constraint): resending it will not help. */
export class BufferRefusedError extends Error {
  override readonly name = 'BufferRefusedError';

  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The database refused this frame's rows: ${reason}`, options);
  }
}

/** Shutdown gave up on this frame before it was committed (the database did not answer in time): resend it. */
export class BufferClosedError extends Error {
  override readonly name = 'BufferClosedError';

  constructor(readonly retryAfterMs: number) {
    super('The server shut down before this frame was committed');
  }
}
