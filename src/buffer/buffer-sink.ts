/** Where one kind's batches go. Feature modules register one per kind with BatchingBuffer. */
export interface BufferSink<Row> {
  /** The name frames are added under, e.g. 'metrics', 'host_metrics', 'logs', 'processes'. */
  readonly kind: string;
  /** Writes all rows in one transaction; throws on failure with nothing committed, so the batch can be retried whole. */
  write(rows: Row[]): Promise<void>;
  /**
   * Whether a failed write was refused because of the rows themselves (the same rows would fail
   * again), not because the database is unreachable or busy. Such a batch is split until the
   * frames at fault stand alone, and only they are refused. Without it every failure is retried.
   */
  refusesRows?(error: unknown): boolean;
}
