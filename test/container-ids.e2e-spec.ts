import pg from 'pg';
import { INVENTORY_LOCK_SPACE } from '../src/containers/containers.repository.js';
import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { privateDatabase } from './support/private-database.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The lock every writer of a host's containers takes first (containers.repository.ts). */
const INVENTORY_LOCK = `SELECT pg_advisory_xact_lock(${INVENTORY_LOCK_SPACE}, hashtext($1))`;
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms))]);

/**
 * A process that has not seen a host yet (after a restart, or its agent reconnecting through
 * another instance) reads the ids of containers stored already instead of writing them under the
 * host's inventory lock: with a thousand agents arriving at once, those writes queued behind each
 * other for seconds and held up every first frame's live push (bench:cluster, latency).
 * (PGlite has one connection: a lock held beside the application cannot be shown there.)
 */
(process.env.DATABASE_URL ? describe : describe.skip)('container ids of a host new to the process (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof privateDatabase>>;
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  const known = [dockerId(), dockerId(), dockerId()];

  beforeAll(async () => {
    database = await privateDatabase();
    const first = await startTestApp({ BUFFER_FLUSH_MS: '20', ...database.env });
    tenant = await signup(first);
    host = await enrolledHost(first, tenant);
    const agent = await AgentClient.connect(first.baseUrl, host.agentToken);
    expect(await agent.send({ type: 'containers', data: known.map((id) => container(id)) })).toMatchObject({ type: 'ack' });
    await agent.close();
    await first.close();
    t = await startTestApp({ BUFFER_FLUSH_MS: '20', ...database.env });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database.drop();
  });

  it('acks metrics of stored containers while the host inventory is locked; a new container waits for the lock', async () => {
    const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    const locker = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(INVENTORY_LOCK, [host.hostId]);
      const now = Date.now();
      expect(await within(agent.send({ type: 'metrics', data: known.map((id, i) => metric(id, now - i)) }), 5_000)).toMatchObject({ type: 'ack' });

      // The lock is the one a new container's write takes: that frame waits until it is released.
      const fresh = dockerId();
      const pending: Promise<Answer> = agent.send({ type: 'metrics', data: [metric(fresh, now)] });
      expect(await within(pending, 1_000)).toBe('still waiting');
      await locker.query('COMMIT');
      expect(await within(pending, 10_000)).toMatchObject({ type: 'ack' });

      const list = await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200);
      const states = Object.fromEntries(list.body.map((c: { dockerId: string; state: string }) => [c.dockerId, c.state]));
      expect(Object.keys(states).sort()).toEqual([...known, fresh].sort());
      expect(states[fresh]).toBe('unknown');
    } finally {
      await locker.end();
      await agent.close();
    }
  }, 60_000);
});
