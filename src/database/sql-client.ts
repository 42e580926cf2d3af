import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';

/** What runs SQL inside or outside a transaction, on either engine. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements at once, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'postgres' | 'pglite';

/** One pool of connections (or of slots on them), as /metrics shows it. */
export interface PoolStats {
  pool: string;
  inUse: number;
  waiting: number;
  total: number;
}

/**
 * The raw SQL side of the database, shared by the migrator, the partition manager and the bulk
 * writers, beside Prisma (which runs on the same connections through its driver adapter).
 * Abstract class rather than interface so it can be the DI token.
 */
export abstract class SqlClient implements SqlExecutor {
  abstract readonly engine: Engine;
  abstract query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  abstract exec(sql: string): Promise<void>;
  /** Runs fn in one transaction; statement_timeout bounds every statement in it. */
  abstract transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /** Runs fn while holding a session-level advisory lock, serializing it across instances. */
  abstract withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  abstract prismaAdapter(): SqlDriverAdapterFactory;
  abstract close(): Promise<void>;

  /**
   * Runs `COPY … FROM STDIN` (text format) with `pieces`, in order, as its whole input: how
   * PostgreSQL loads rows fastest. Only where `canCopy`: the embedded engine has no such path from a
   * client, and callers insert instead.
   */
  copyIn(statement: string, _pieces: readonly Buffer[]): Promise<void> {
    return Promise.reject(new Error(`COPY FROM STDIN is not available on ${this.engine} (${statement})`));
  }

  get canCopy(): boolean {
    return false;
  }

  /** The connection pools behind this client; none for an embedded engine, which has no connections. */
  poolStats(): PoolStats[] {
    return [];
  }

  /**
   * What the ingest path (agents' writes, rollups) runs its statements through: on PostgreSQL a
   * view sharing these connections but bounded in how many it uses at once; here, this client.
   */
  get ingest(): SqlClient {
    return this;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
