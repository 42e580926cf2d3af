import { HealthController } from '../src/health/health.controller.js';
import { signup } from './support/factories.js';
import { startTestApp, tempDir } from './support/test-app.js';

describe('health, readiness and persistence', () => {
  it('is live and ready, and keeps its data across a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestApp({ DATA_DIR: dataDir });
    let tenant;
    try {
      await first.http().get('/api/health').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
      const ready = await first.http().get('/api/ready').expect(200);
      expect(ready.body.info).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
      tenant = await signup(first);
      await first.http().post('/api/hosts').auth(tenant.token, { type: 'bearer' }).send({ name: 'kept' }).expect(201);
    } finally {
      await first.close();
    }

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      await second.http().get('/api/ready').expect(200);
      const hosts = await second.http().get('/api/hosts').auth(tenant.token, { type: 'bearer' }).expect(200);
      expect(hosts.body.map((h: { name: string }) => h.name)).toEqual(['kept']);
      await second.http().post('/api/auth/login').send({ email: tenant.email, password: 'correct-horse-42' }).expect(200);
    } finally {
      await second.close();
    }
  });

  it('reports not ready (503) when a migration is pending', async () => {
    const t = await startTestApp();
    try {
      const [{ migration_name }] = await t.sql.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1');
      await t.sql.query('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1', [migration_name]);
      const res = await t.http().get('/api/ready').expect(503);
      expect(res.body.error.migrations).toEqual({ status: 'down', pending: [migration_name] });
      await t.sql.query('UPDATE _prisma_migrations SET finished_at = now() WHERE migration_name = $1', [migration_name]);
      await t.http().get('/api/ready').expect(200);
    } finally {
      await t.close();
    }
  });

  it('reports not ready (503) from the moment the application starts closing, so a load balancer stops sending it work', async () => {
    const t = await startTestApp();
    try {
      await t.http().get('/api/ready').expect(200);
      // What Nest does first when SIGTERM closes the app, before the agents' drain (test/haproxy.e2e-spec.ts sends the real signal).
      t.app.get(HealthController).onModuleDestroy();
      const res = await t.http().get('/api/ready').expect(503);
      expect(res.body.error).toEqual({ shutdown: { status: 'down', message: 'shutting down' } });
      await t.http().get('/api/health').expect(200);
    } finally {
      await t.close();
    }
  });
});
