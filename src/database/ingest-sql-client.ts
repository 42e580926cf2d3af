import type { Semaphore } from './semaphore.js';
import { SqlClient, type Engine, type SqlExecutor } from './sql-client.js';

/**
 * The ingest path's view of the database (bulk writes, inventory snapshots, rollups): the same
 * connections, but only as many at once as `slots` allows, so agents, however many or fast, never
 * take the connections REST reads need. Waiting happens here, in arrival order, not in the pool.
 */
export class IngestSqlClient extends SqlClient {
  readonly engine: Engine;

  constructor(
    private readonly base: SqlClient,
    private readonly slots: Semaphore,
  ) {
    super();
    this.engine = base.engine;
  }

  override get canCopy(): boolean {
    return this.base.canCopy;
  }

  override copyIn(statement: string, pieces: readonly Buffer[]): Promise<void> {
    return this.slots.run(() => this.base.copyIn(statement, pieces));
  }

  override get ingest(): SqlClient {
    return this;
  }

  query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.slots.run(() => this.base.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.slots.run(() => this.base.exec(sql));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
    return this.slots.run(() => this.base.transaction(fn, options));
  }

  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    return this.base.withAdvisoryLock(key, fn);
  }

  prismaAdapter() {
    return this.base.prismaAdapter();
  }

  /** The base client owns the connections. */
  async close(): Promise<void> {}
}
