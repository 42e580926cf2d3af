import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { SimulatedFleet, type FleetStatsSnapshot, type SimHostInfo } from '../src/fleet.js';

const HOSTS = 3;
const CONTAINERS = 2;
const RUN_MS = 2_000;

/** Where each kind the fleet counts lands in the database. */
const TABLES = {
  metrics: 'container_metrics',
  host_metrics: 'host_metrics',
  logs: 'container_logs',
  processes: 'process_samples',
  containers: 'containers',
} as const;

describe('dockpulse-sim: a simulated fleet against the real server', () => {
  let t: TestApp;
  let fleet: SimulatedFleet;
  let stats: FleetStatsSnapshot;
  let hosts: SimHostInfo[];
  let listedWhileRunning: { id: string; status: string; hostname: string; agentVersion: string }[];

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    fleet = new SimulatedFleet({ server: t.baseUrl, hosts: HOSTS, containersPerHost: CONTAINERS, intervalMs: 200 });
    await fleet.start();
    await fleet.waitUntilConnected(10_000);
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    listedWhileRunning = (await t.http().get('/api/hosts').auth(fleet.accessToken as string, { type: 'bearer' }).expect(200)).body;
    await fleet.stop();
    stats = fleet.stats();
    hosts = fleet.hosts();
  });
  afterAll(async () => {
    await fleet?.stop();
    await t?.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await t.sql.query<{ n: string }>(sql, params))[0].n);

  it('enrolls every host, each online with the details of its hello', async () => {
    expect(hosts).toHaveLength(HOSTS);
    expect(new Set(hosts.map((h) => h.hostId)).size).toBe(HOSTS);
    for (const host of hosts) {
      expect(listedWhileRunning.find((listed) => listed.id === host.hostId)).toMatchObject({ status: 'online', hostname: host.name, agentVersion: '0.1.0-sim' });
    }
  });

  it('gets exactly one answer for every frame sent: all acks, no errors', async () => {
    expect(stats.framesSent).toBeGreaterThan(HOSTS * 2);
    expect(stats.answers).toBe(stats.framesSent);
    expect(stats.acks).toBe(stats.framesSent);
    expect(stats.errors).toEqual({});
    expect(stats.unexpectedAnswers).toBe(0);
    expect(stats.unanswered).toBe(0);
    expect(stats.dropped).toBe(0);
    expect(stats.ackLatencyMs.samples).toBe(stats.acks);
    expect(stats.ackLatencyMs.p99).toBeGreaterThanOrEqual(stats.ackLatencyMs.p50);
  });

  it('streamed every kind, and the database holds exactly the rows that were acknowledged', async () => {
    expect(stats.rowsAcked.containers).toBe(HOSTS * CONTAINERS);
    expect(stats.rowsAcked.metrics).toBeGreaterThanOrEqual(HOSTS * CONTAINERS * 3);
    expect(stats.rowsAcked.host_metrics).toBeGreaterThanOrEqual(HOSTS * 3);
    expect(stats.rowsAcked.logs).toBeGreaterThanOrEqual(HOSTS * CONTAINERS * 3);
    expect(stats.rowsAcked.processes).toBeGreaterThanOrEqual(HOSTS * 20);
    for (const [kind, table] of Object.entries(TABLES)) {
      // Only this fleet's hosts: on PostgreSQL the run's other spec files share the database.
      const fleetRows = await count(`SELECT count(*)::text AS n FROM ${table} WHERE host_id = ANY($1::uuid[])`, [hosts.map((h) => h.hostId)]);
      expect({ kind, rows: fleetRows }).toEqual({ kind, rows: stats.rowsAcked[kind as keyof typeof TABLES] });
    }
  });

  it("keeps each host's data under its own host_id", async () => {
    for (const host of hosts) {
      for (const [kind, table] of Object.entries(TABLES)) {
        const rows = await count(`SELECT count(*)::text AS n FROM ${table} WHERE host_id = $1`, [host.hostId]);
        expect({ host: host.name, kind, rows }).toEqual({ host: host.name, kind, rows: host.rowsAcked[kind as keyof typeof TABLES] });
      }
      const dockerIds = await t.sql.query<{ docker_id: string }>('SELECT docker_id FROM containers WHERE host_id = $1 ORDER BY docker_id', [host.hostId]);
      expect(dockerIds.map((row) => row.docker_id)).toEqual([...host.dockerIds].sort());
    }
    // A sample or line filed under one host but naming another host's container would show here.
    for (const table of ['container_metrics', 'container_logs']) {
      expect(await count(`SELECT count(*)::text AS n FROM ${table} x JOIN containers c ON c.id = x.container_id WHERE c.host_id <> x.host_id`)).toBe(0);
    }
  });

  it('closes every socket on stop: the hosts go offline', async () => {
    expect(stats.hostsConnected).toBe(0);
    const token = fleet.accessToken as string;
    const statuses = async () => (await t.http().get('/api/hosts').auth(token, { type: 'bearer' }).expect(200)).body.map((h: { status: string }) => h.status);
    // Marking offline follows the close asynchronously; give it a moment.
    for (let i = 0; i < 100 && (await statuses()).some((s: string) => s !== 'offline'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await statuses()).toEqual(Array(HOSTS).fill('offline'));
  });
});
