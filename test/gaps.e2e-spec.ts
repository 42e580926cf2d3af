import { LedgerClock } from '../src/gap-ledger/ledger-clock.js';
import { RetentionService } from '../src/storage/retention.service.js';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const M = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Ten real minutes cannot pass in a test, so the past is recorded through the real paths: the
 * ledger's clock (LedgerClock, the one time source of the connection ledger) is set back while
 * real agent sockets connect and close, and samples are sent with past timestamps in real frames.
 * Only the host's creation time is moved back by SQL, since gaps never start before it.
 */
async function backdateHost(t: TestApp, hostId: string, ms: number): Promise<void> {
  await t.sql.query(`UPDATE hosts SET created_at = $2::timestamptz WHERE id = $1::uuid`, [hostId, iso(ms)]);
}

function setClock(t: TestApp, ms: number | undefined): void {
  const clock = t.app.get(LedgerClock);
  clock.now = ms === undefined ? () => Date.now() : () => ms;
}

/** Sends one sample per minute of [from, to) (minute offsets from t0), host and/or containers; expects acks. */
async function samples(agent: AgentClient, t0: number, from: number, to: number, kinds: { host?: boolean; container?: string }): Promise<void> {
  const minutes = Array.from({ length: to - from }, (_, i) => t0 + (from + i) * M + 10_000);
  if (kinds.host) expect(await agent.send({ type: 'host_metrics', data: minutes.map((ts) => hostMetric(iso(ts))) })).toMatchObject({ type: 'ack' });
  if (kinds.container) expect(await agent.send({ type: 'metrics', data: minutes.map((ts) => metric(kinds.container!, iso(ts))) })).toMatchObject({ type: 'ack' });
}

describe('GET /api/hosts/:hostId/gaps', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    other = await signup(t);
  });
  afterAll(async () => {
    setClock(t, undefined);
    await t?.close();
  });

  const gaps = (hostId: string, query: Record<string, string>, token = tenant.token) => t.http().get(`/api/hosts/${hostId}/gaps`).query(query).auth(token, { type: 'bearer' });

  it('explains each missing period: agent offline, not collected, refused', async () => {
    const host = await enrolledHost(t, tenant, 'gappy');
    const t0 = Math.floor(Date.now() / M) * M - 40 * M;
    await backdateHost(t, host.hostId, t0 - 60 * M);
    const containerId = dockerId();

    // Minutes 0–9: connected, host and container samples.
    setClock(t, t0);
    let agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    await samples(agent, t0, 0, 10, { host: true, container: containerId });
    setClock(t, t0 + 10 * M);
    await agent.close();
    // Minutes 10–19: offline. Minutes 20–29: connected, host samples only, and a container frame refused for minute 25.
    setClock(t, t0 + 20 * M);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    await samples(agent, t0, 20, 30, { host: true });
    const refused = await agent.send({ type: 'metrics', data: [metric(containerId, iso(t0 + 25 * M + 5_000), { cpuPercent: 'lots' })] });
    expect(refused).toMatchObject({ type: 'error', code: 'invalid_message' });
    setClock(t, t0 + 30 * M);
    await agent.close();
    setClock(t, undefined);

    const response = await gaps(host.hostId, { from: iso(t0), to: iso(t0 + 30 * M) }).expect(200);
    expect(response.body).toEqual([
      { kind: 'container_metrics', reason: 'agent_offline', from: iso(t0 + 10 * M), to: iso(t0 + 20 * M) },
      { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 10 * M), to: iso(t0 + 20 * M) },
      { kind: 'container_metrics', reason: 'not_collected', from: iso(t0 + 20 * M), to: iso(t0 + 25 * M) },
      { kind: 'container_metrics', reason: 'refused', from: iso(t0 + 25 * M), to: iso(t0 + 26 * M) },
      { kind: 'container_metrics', reason: 'not_collected', from: iso(t0 + 26 * M), to: iso(t0 + 30 * M) },
    ]);
    const hostOnly = await gaps(host.hostId, { from: String(t0), to: String(t0 + 30 * M), kind: 'host_metrics' }).expect(200);
    expect(hostOnly.body).toEqual([{ kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 10 * M), to: iso(t0 + 20 * M) }]);

    // The connections are in the ledger, with the instance that held them.
    const rows = await t.sql.query<{ instance_id: string; transport: string; disconnected_at: unknown }>(
      `SELECT instance_id, transport, disconnected_at FROM agent_connections WHERE host_id = $1::uuid`,
      [host.hostId],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.transport === 'socket' && row.disconnected_at !== null && row.instance_id.length > 0)).toBe(true);
  }, 60_000);

  it('counts samples that arrive past the raw retention as refused: acknowledged, but never stored', async () => {
    const host = await enrolledHost(t, tenant, 'late-backlog');
    const t0 = Math.floor(Date.now() / M) * M - 25 * 60 * M; // older than RETENTION_METRICS (24 h)
    await backdateHost(t, host.hostId, t0 - 60 * M);
    const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(iso(t0 + 2 * M + 5_000)), hostMetric(iso(t0 + 3 * M + 5_000))] })).toMatchObject({ type: 'ack' });
    await agent.close();

    const response = await gaps(host.hostId, { from: iso(t0), to: iso(t0 + 5 * M), kind: 'host_metrics' }).expect(200);
    expect(response.body).toEqual([
      { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0), to: iso(t0 + 2 * M) },
      { kind: 'host_metrics', reason: 'refused', from: iso(t0 + 2 * M), to: iso(t0 + 4 * M) },
      { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 4 * M), to: iso(t0 + 5 * M) },
    ]);
  }, 30_000);

  it('never reports minutes before the host was created, nor the current minute, and frames over HTTP count as connected', async () => {
    const host = await enrolledHost(t, tenant, 'http-only');
    const now = Date.now();
    const t0 = Math.floor(now / M) * M - 5 * M;
    await backdateHost(t, host.hostId, t0 + 2 * M);
    setClock(t, t0 + 3 * M);
    await t.http().post('/api/agent/ingest').auth(host.agentToken, { type: 'bearer' }).send({ type: 'host_metrics', seq: 1, data: [hostMetric(iso(t0 + 3 * M))] }).expect(200);
    setClock(t, undefined);
    const response = await gaps(host.hostId, { from: iso(t0 - 60 * M), to: iso(now + 60 * M), kind: 'host_metrics' }).expect(200);
    // Minute 2 (created, nothing yet, no connection), minute 3 has data, minute 4 on: the HTTP run counts as connected until it is stale.
    expect(response.body[0]).toEqual({ kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 2 * M), to: iso(t0 + 3 * M) });
    expect(response.body[1]).toEqual({ kind: 'host_metrics', reason: 'not_collected', from: iso(t0 + 4 * M), to: expect.any(String) });
    expect(Date.parse(response.body.at(-1).to)).toBeLessThanOrEqual(Math.floor(Date.now() / M) * M);
  }, 30_000);

  it('answers 404 for another organization’s host and 400 naming the bad field', async () => {
    const host = await enrolledHost(t, tenant, 'private');
    await gaps(host.hostId, {}, other.token).expect(404);
    expect((await gaps(host.hostId, { from: 'yesterday' }).expect(400)).body.message.join(' ')).toMatch(/from must be/);
    expect((await gaps(host.hostId, { kind: 'logs' }).expect(400)).body.message.join(' ')).toMatch(/kind must be one of/);
    expect((await gaps(host.hostId, { from: iso(Date.now()), to: iso(Date.now() - M) }).expect(400)).body.message).toMatch(/from must be earlier/);
    await gaps('not-a-uuid', {}).expect(404);
    await t.http().get(`/api/hosts/${host.hostId}/gaps`).expect(401);
  });

  it('keeps the ledger as long as the rollups: the retention job deletes what is older than RETENTION_ROLLUPS', async () => {
    const host = await enrolledHost(t, tenant, 'old');
    const old = iso(Date.now() - 31 * 86_400_000);
    const recent = iso(Math.floor(Date.now() / M) * M - 10 * M);
    for (const at of [old, recent]) {
      await t.sql.query(
        `INSERT INTO agent_connections (id, host_id, instance_id, transport, connected_at, disconnected_at, last_seen_at) VALUES (gen_random_uuid(), $1::uuid, 'x', 'socket', $2::timestamptz, $2::timestamptz, $2::timestamptz)`,
        [host.hostId, at],
      );
      await t.sql.query(`INSERT INTO ingest_refusals (host_id, kind, minute, frames, rows, last_code) VALUES ($1::uuid, 'metrics', date_trunc('minute', $2::timestamptz), 1, 1, 'overloaded')`, [host.hostId, at]);
      await t.sql.query(`INSERT INTO data_presence (host_id, kind, hour, minutes) VALUES ($1::uuid, 'host_metrics', date_trunc('hour', $2::timestamptz), 1)`, [host.hostId, at]);
    }
    const report = await t.app.get(RetentionService).run();
    expect(report.gapLedgerRowsDeleted).toBeGreaterThanOrEqual(3);
    for (const table of ['agent_connections', 'ingest_refusals', 'data_presence']) {
      expect({ table, rows: (await t.sql.query(`SELECT 1 FROM ${table} WHERE host_id = $1::uuid`, [host.hostId])).length }).toEqual({ table, rows: 1 });
    }
  });
});

// Two instances need a database both can reach: the embedded engine is one process's alone.
(process.env.DATABASE_URL ? describe : describe.skip)('gaps with two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    b = await startTestApp({ BUFFER_FLUSH_MS: '50' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts the connections every instance recorded, and an instance that died ends where it was last seen', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant, 'roaming');
    const t0 = Math.floor(Date.now() / M) * M - 40 * M;
    await backdateHost(a, host.hostId, t0 - 60 * M);

    setClock(a, t0);
    let agent = await AgentClient.connect(a.baseUrl, host.agentToken);
    await samples(agent, t0, 0, 5, { host: true });
    setClock(a, t0 + 5 * M);
    await agent.close();
    setClock(b, t0 + 10 * M);
    agent = await AgentClient.connect(b.baseUrl, host.agentToken);
    setClock(b, t0 + 15 * M);
    await agent.close();
    // A third instance held the host from minute 20 and died at minute 25: its row stays open, last seen then.
    await a.sql.query(
      `INSERT INTO agent_connections (id, host_id, instance_id, transport, connected_at, last_seen_at) VALUES (gen_random_uuid(), $1::uuid, 'dead-instance', 'socket', $2::timestamptz, $3::timestamptz)`,
      [host.hostId, iso(t0 + 20 * M), iso(t0 + 25 * M)],
    );
    setClock(a, undefined);
    setClock(b, undefined);
    // Each instance writes its ledger about once a second; a reader flushes only its own.
    const closedRows = async () => (await a.sql.query(`SELECT 1 FROM agent_connections WHERE host_id = $1::uuid AND disconnected_at IS NOT NULL`, [host.hostId])).length;
    for (const deadline = Date.now() + 10_000; (await closedRows()) < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));

    for (const app of [a, b]) {
      const response = await app.http().get(`/api/hosts/${host.hostId}/gaps`).query({ from: iso(t0), to: iso(t0 + 30 * M), kind: 'host_metrics' }).auth(tenant.token, { type: 'bearer' }).expect(200);
      expect(response.body).toEqual([
        { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 5 * M), to: iso(t0 + 10 * M) },
        { kind: 'host_metrics', reason: 'not_collected', from: iso(t0 + 10 * M), to: iso(t0 + 15 * M) },
        { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 15 * M), to: iso(t0 + 20 * M) },
        { kind: 'host_metrics', reason: 'not_collected', from: iso(t0 + 20 * M), to: iso(t0 + 25 * M) },
        { kind: 'host_metrics', reason: 'agent_offline', from: iso(t0 + 25 * M), to: iso(t0 + 30 * M) },
      ]);
    }
    const instances = await a.sql.query<{ instance_id: string }>(`SELECT DISTINCT instance_id FROM agent_connections WHERE host_id = $1::uuid`, [host.hostId]);
    expect(instances).toHaveLength(3);
  }, 60_000);
});
