// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database in
// DATA_DIR) and exits. The service also does this at start-up.
import { ConfigurationError, validateEnvironment } from '../config/environment.js';
import { openSqlClient } from './open-database.js';
import { Migrator } from './migrator.js';

try {
  const sql = await openSqlClient(validateEnvironment(process.env));
  try {
    const applied = await new Migrator(sql).migrate();
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await sql.close();
  }
} catch (error) {
  console.error(error instanceof ConfigurationError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
