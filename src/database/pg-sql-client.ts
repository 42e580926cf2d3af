import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { CopyIn } from './copy-in.js';
import { IngestSqlClient } from './ingest-sql-client.js';
import { Semaphore } from './semaphore.js';
import { SqlClient, SqlExecutor, type PoolStats } from './sql-client.js';

/** Connections one instance opens to PostgreSQL. */
export const POOL_SIZE = 10;
/** Connections the ingest path never takes: REST reads and housekeeping always find one. */
export const RESERVED_CONNECTIONS = 4;

function executor(client: pg.ClientBase): SqlExecutor {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

/**
 * A real PostgreSQL server through one pg.Pool, shared with Prisma's adapter. The ingest path
 * goes through `ingest`, which uses at most the pool's size less RESERVED_CONNECTIONS at once.
 */
export class PgSqlClient extends SqlClient {
  readonly engine = 'postgres' as const;
  private closed = false;
  private readonly ingestView: IngestSqlClient;
  private readonly ingestSlots: Semaphore;

  constructor(readonly pool: pg.Pool) {
    super();
    // A client losing its server (restart, failover) must not crash the process: the pool handles
    // idle ones, but takes its handler off a checked-out client, whose query fails on its own anyway.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    this.ingestSlots = new Semaphore(Math.max(1, (pool.options.max ?? POOL_SIZE) - RESERVED_CONNECTIONS));
    this.ingestView = new IngestSqlClient(this, this.ingestSlots);
  }

  static open(connectionString: string): PgSqlClient {
    return new PgSqlClient(new pg.Pool({ connectionString, max: POOL_SIZE, connectionTimeoutMillis: 5_000 }));
  }

  /**
   * `main` is the pg.Pool (every connection, the ingest path's included; total = open now); `ingest`
   * is the ingest path's share of it (total = the slots it may hold at once).
   */
  override poolStats(): PoolStats[] {
    const { pool, ingestSlots } = this;
    return [
      { pool: 'main', inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount, total: pool.totalCount },
      { pool: 'ingest', inUse: ingestSlots.held, waiting: ingestSlots.queued, total: ingestSlots.permits },
    ];
  }

  override get ingest(): SqlClient {
    return this.ingestView;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, { timeoutMs = 30_000 } = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
      const result = await fn(executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  override get canCopy(): boolean {
    return true;
  }

  override async copyIn(statement: string, pieces: readonly Buffer[]): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const copy = new CopyIn(statement, pieces);
      client.query(copy);
      await copy.done;
    } catch (error) {
      // The server refused the rows and the connection goes on; without a code, the connection itself failed.
      if (!(error as { code?: string }).code) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }

  prismaAdapter() {
    return new PrismaPg(this.pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
