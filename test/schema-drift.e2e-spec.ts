import { Migrator } from '../src/database/migrator.js';
import type { SqlClient } from '../src/database/sql-client.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { freshDatabase } from './support/fresh-database.js';

interface RuntimeField {
  name: string;
  kind: string;
  dbName?: string | null;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

/**
 * Guards against drift between prisma/schema.prisma and prisma/migrations: every model and every
 * scalar or enum field of the generated client must exist as a table and column once all
 * migrations are applied to an empty database. Adding a field without a migration fails here.
 */
describe('schema drift', () => {
  let db: { sql: SqlClient; close: () => Promise<void> };
  let columns: Map<string, Set<string>>;

  beforeAll(async () => {
    db = await freshDatabase();
    await new Migrator(db.sql).migrate();
    const rows = await db.sql.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    columns = new Map();
    for (const row of rows) columns.set(row.table_name, (columns.get(row.table_name) ?? new Set()).add(row.column_name));
  });
  afterAll(() => db.close());

  const client = new PrismaClient({ adapter: { provider: 'postgres', adapterName: 'none', connect: async () => { throw new Error('unused'); } } } as never);
  const models = Object.entries((client as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel.models);

  it('knows the models of the generated client', () => {
    expect(models.map(([name]) => name)).toEqual(expect.arrayContaining(['Organization', 'User', 'Host', 'Container', 'ContainerMetric', 'ContainerLog']));
  });

  it.each(models)('has a table and columns for model %s', (name, model) => {
    const table = model.dbName ?? name;
    expect({ model: name, table, exists: columns.has(table) }).toEqual({ model: name, table, exists: true });
    const missing = model.fields
      .filter((field) => field.kind === 'scalar' || field.kind === 'enum')
      .map((field) => field.dbName ?? field.name)
      .filter((column) => !columns.get(table)!.has(column));
    expect({ model: name, missingColumns: missing }).toEqual({ model: name, missingColumns: [] });
  });
});
