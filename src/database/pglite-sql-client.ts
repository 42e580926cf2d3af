import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { mkdirSync } from 'node:fs';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { SqlClient, SqlExecutor } from './sql-client.js';

function executor(db: PGlite | Transaction): SqlExecutor {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await db.exec(sql);
    },
  };
}

/**
 * The embedded PostgreSQL (PGlite) in a data directory: one in-process connection, so PGlite's
 * own transaction mutex serializes writers and advisory locks only need to exclude this process.
 */
export class PgliteSqlClient extends SqlClient {
  readonly engine = 'pglite' as const;
  private closed = false;
  private readonly locks = new Map<number, Promise<unknown>>();

  constructor(readonly db: PGlite) {
    super();
  }

  /** `dataDir` is a directory, or `memory://` for a throwaway database. */
  static async open(dataDir: string): Promise<PgliteSqlClient> {
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm, btree_gin } });
    return new PgliteSqlClient(db);
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(executor(tx)));
  }

  /** Only this process can open the data directory, so an in-process queue per key is the lock. */
  async withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  prismaAdapter() {
    return new PrismaPGlite(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }
}
