import { randomUUID } from 'node:crypto';
import { binaryCopyWriter } from '../src/buffer/copy-binary.js';
import { COPY_PIECE_BYTES, copyWriter } from '../src/buffer/copy-text.js';
import pg from 'pg';
import { PgSqlClient } from '../src/database/pg-sql-client.js';
import type { SqlClient } from '../src/database/sql-client.js';
import { freshDatabase } from './support/fresh-database.js';

const COPY = 'COPY samples (id, n, ts) FROM STDIN';
const write = copyWriter({ id: 'uuid', n: 'int8', ts: 'timestamptz' });
const rowsOf = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), n: from + i, ts: new Date(1_700_000_000_000 + from + i).toISOString() }));

(process.env.DATABASE_URL ? describe : describe.skip)('COPY FROM STDIN with its whole input at hand (PostgreSQL)', () => {
  let db: { sql: SqlClient; close: () => Promise<void> };
  const count = async () => Number((await db.sql.query<{ count: string }>('SELECT count(*) FROM samples'))[0].count);

  beforeAll(async () => {
    db = await freshDatabase();
    await db.sql.exec('CREATE TABLE samples (id uuid PRIMARY KEY, n int8 NOT NULL, ts timestamptz NOT NULL)');
  });
  afterAll(() => db.close());
  beforeEach(() => db.sql.exec('TRUNCATE samples'));

  it('stores every row of a many-piece input exactly as written', async () => {
    const rows = rowsOf(60_000);
    const pieces = write(rows);
    expect(pieces.length).toBeGreaterThan(20);
    await db.sql.copyIn(COPY, pieces);
    const [stored] = await db.sql.query<{ count: string; sum: string; last: Date }>('SELECT count(*), sum(n), max(ts) AS last FROM samples');
    expect(Number(stored.count)).toBe(60_000);
    expect(Number(stored.sum)).toBe((59_999 * 60_000) / 2);
    expect(stored.last.toISOString()).toBe(rows[59_999].ts);
  });

  it('refuses the whole input when one row is stored already, and the pool goes on', async () => {
    const rows = rowsOf(5_000);
    await db.sql.copyIn(COPY, write(rows.slice(0, 10)));
    await expect(db.sql.copyIn(COPY, write(rows))).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(10);
    // Every pooled connection, the refused COPY's included, still answers.
    await Promise.all(Array.from({ length: 20 }, () => db.sql.query('SELECT 1')));
    await db.sql.copyIn(COPY, write(rows.slice(10)));
    expect(await count()).toBe(5_000);
  });

  it('refuses a value the column cannot read with its code, storing nothing', async () => {
    const rows: object[] = rowsOf(3_000);
    rows[2_500] = { id: 'not-a-uuid', n: 1, ts: new Date().toISOString() };
    await expect(db.sql.copyIn(COPY, write(rows))).rejects.toMatchObject({ code: '22P02' });
    expect(await count()).toBe(0);
  });

  it('fails whole when the statement itself fails, and its connection answers the next statement', async () => {
    // One connection: the input sent behind the failed statement must not confuse what follows on it.
    const single = new PgSqlClient(new pg.Pool({ connectionString: (db.sql as PgSqlClient).pool.options.connectionString, max: 1 }));
    try {
      await expect(single.copyIn('COPY no_such_table (id) FROM STDIN', write(rowsOf(20_000)))).rejects.toMatchObject({ code: '42P01' });
      expect(await single.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await single.copyIn(COPY, write(rowsOf(20_000)));
      expect(await count()).toBe(20_000);
    } finally {
      await single.close();
    }
  });

  it('runs several at once on the pool', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => db.sql.copyIn(COPY, write(rowsOf(10_000, i * 10_000)))));
    expect(await count()).toBe(80_000);
  });

  it('stores the same values from COPY binary as from COPY text, NULLs included', async () => {
    const columns = { id: 'uuid', ts: 'timestamptz', cpu: 'float8', big: 'int8', n: 'int4', on: 'bool' } as const;
    const definition = 'id uuid, ts timestamptz, cpu float8, big int8, n int4, "on" bool';
    await db.sql.exec(`CREATE TABLE as_text (${definition}); CREATE TABLE as_binary (${definition})`);
    const floats = [0, -0, 0.1, 1e-7, -1.5e-7, 123456.789, 1e300, 2 ** 53, Number.MIN_VALUE, 99.99999999999999];
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      id: i % 7 === 0 ? null : randomUUID(),
      ts: i % 11 === 0 ? undefined : i % 2 ? new Date(1_700_000_000_000 + i * 1_001).toISOString() : `2026-12-01T1${i % 10}:${String(i % 60).padStart(2, '0')}:00.${String(i).padStart(6, '0').slice(-6)}+0${i % 3}:00`,
      cpu: i % 13 === 0 ? null : floats[i % floats.length] * (i % 2 ? 1 : -1),
      big: i % 17 === 0 ? null : (i % 2 ? 1 : -1) * (2 ** 53 - 1 - i * 1_000_003),
      n: i % 19 === 0 ? null : (i % 2 ? 2 ** 31 - 1 - i : -(2 ** 31) + i),
      on: i % 23 === 0 ? null : i % 2 === 0,
    }));
    const binary = binaryCopyWriter(columns, COPY_PIECE_BYTES)(rows);
    expect(binary).toBeDefined();
    await db.sql.copyIn('COPY as_binary (id, ts, cpu, big, n, "on") FROM STDIN (FORMAT binary)', binary!);
    await db.sql.copyIn('COPY as_text (id, ts, cpu, big, n, "on") FROM STDIN', copyWriter(columns)(rows));
    const read = (table: string) =>
      db.sql.query(`SELECT id::text, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS ts, cpu::text, big::text, n, "on" FROM ${table} ORDER BY big, n, cpu, ts`);
    const [text, fromBinary] = await Promise.all([read('as_text'), read('as_binary')]);
    expect(text).toHaveLength(5_000);
    expect(fromBinary).toEqual(text);
  });
});
