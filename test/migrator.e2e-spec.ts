import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR, MigrationError, Migrator } from '../src/database/migrator.js';
import type { SqlClient } from '../src/database/sql-client.js';
import { freshDatabase } from './support/fresh-database.js';
import { tempDir } from './support/test-app.js';

describe('Migrator', () => {
  let db: { sql: SqlClient; close: () => Promise<void> };
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(() => db.close());

  const copyOfMigrations = () => {
    const dir = tempDir('migrations-');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  };

  it('applies every migration once, in order, recorded as Prisma records them', async () => {
    const migrator = new Migrator(db.sql);
    const names = migrator.list().map((m) => m.name);
    expect(await migrator.pending()).toEqual(names);
    expect(await migrator.migrate()).toEqual(names);
    expect(await migrator.migrate()).toEqual([]);
    expect(await migrator.pending()).toEqual([]);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      'SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows).toEqual(migrator.list().map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })));
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rolls back a failing migration completely and records nothing', async () => {
    const dir = copyOfMigrations();
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');
    const migrator = new Migrator(db.sql, dir);
    await expect(migrator.migrate()).rejects.toThrow(/Migration 29990101000000_broken failed and was rolled back: .*no_such_table/);
    expect(await db.sql.query(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
    expect(await migrator.pending()).toEqual(['29990101000000_broken']);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = copyOfMigrations();
    const migrator = new Migrator(db.sql, dir);
    await migrator.migrate();
    const [first] = migrator.list();
    writeFileSync(join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited`);
    await expect(migrator.migrate()).rejects.toThrow(MigrationError);
    await expect(migrator.migrate()).rejects.toThrow(/was changed after it was applied/);
  });

  it('serializes concurrent runs: each migration is applied exactly once', async () => {
    const results = await Promise.all([new Migrator(db.sql).migrate(), new Migrator(db.sql).migrate(), new Migrator(db.sql).migrate()]);
    const all = results.flat().sort();
    expect(all).toEqual(new Migrator(db.sql).list().map((m) => m.name));
  });
});
