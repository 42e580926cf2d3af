import pg from 'pg';
import { compareRows, FaultLoad, storedKeys } from './support/fault-load.js';
import { freePort, PrivateCluster } from './support/private-cluster.js';
import { ensureBuilt, ServerProcess } from './support/server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (scenario: string, figures: Record<string, unknown>) => console.log(`faults ${scenario}: ${JSON.stringify(figures)}`);

const OUTAGE_MS = 30_000;
const PRODUCE_EVERY_MS = 100;
/** Frames in flight per agent: 4 agents × 16 frames hold more rows than BUFFER_LIMIT_ROWS while the database is down. */
const WINDOW = 16;
const LOAD_MS = 3_000;
const DRAIN_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;
const ACK_TRANSIT_MS = 1_000;
/** Process exit after the drain (closing sockets, the runtime) on a busy 2-core machine. */
const EXIT_SLACK_MS = 2_000;

/** The server survived the fault; if not, its last words. */
function expectAlive(server: ServerProcess): void {
  expect({ running: server.running, log: server.running ? '' : server.logTail() }).toEqual({ running: true, log: '' });
}

/** The invariants of every scenario, once the load has stopped: all acked, each row once, nothing else. */
async function expectAllStoredOnce(label: string, load: FaultLoad, databaseUrl: string): Promise<void> {
  const produced = load.producedKeys();
  const comparison = compareRows(produced, await storedKeys(databaseUrl, load.hostIds), produced);
  report(label, { rowsProduced: produced.size, rowsAcked: load.ackedKeys().length, ...comparison, framesUnacked: load.unacked, resends: load.resends(), answers: load.retryableAnswers() });
  expect({ unacked: load.unacked, refused: load.refused(), extraAcks: load.extraAcks() }).toEqual({ unacked: 0, refused: [], extraAcks: 0 });
  expect(comparison).toMatchObject({ missing: 0, duplicated: 0, unexpected: 0 });
}

/** What was acked before a fault must already be stored, once, when the fault is over. */
async function expectAckedStored(label: string, load: FaultLoad, databaseUrl: string): Promise<void> {
  const acked = load.ackedKeys();
  const comparison = compareRows(acked, await storedKeys(databaseUrl, load.hostIds), load.producedKeys());
  report(label, { rowsAcked: acked.length, ...comparison, framesUnacked: load.unacked });
  expect(comparison).toMatchObject({ missing: 0, duplicated: 0, unexpected: 0 });
}

// Stops and kills PostgreSQL and the server: only on a cluster of its own, in the PostgreSQL run.
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres('faults: database outage, SIGTERM and SIGKILL under load (private PostgreSQL cluster)', () => {
  let cluster: PrivateCluster | undefined;
  let databaseUrl: string;
  let port: number;
  let servers: ServerProcess[] = [];
  let loads: FaultLoad[] = [];

  const serverEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: databaseUrl,
    SIGNUP_ENABLED: 'true',
    // Small bounds, so the load meets `overloaded`/`unavailable` and the resend path is exercised.
    BUFFER_FLUSH_MS: '100',
    BUFFER_LIMIT_ROWS: '2000',
    ...extra,
  });
  const startServer = async (extra?: Record<string, string>) => {
    const server = await ServerProcess.start(port, serverEnv(extra));
    servers.push(server);
    report('server ready', { ms: server.readyMs });
    return server;
  };
  const startLoad = async (baseUrl: string) => {
    const load = await FaultLoad.enroll(baseUrl, 2, 2, WINDOW);
    loads.push(load);
    await load.connect();
    load.produce(PRODUCE_EVERY_MS);
    return load;
  };

  beforeAll(async () => {
    const began = performance.now();
    ensureBuilt(240_000);
    const built = performance.now();
    cluster = await PrivateCluster.create();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE dockpulse');
    await admin.end();
    databaseUrl = cluster.url('dockpulse');
    port = await freePort();
    report('setup', { buildMs: Math.round(built - began), clusterMs: Math.round(performance.now() - built), cluster: cluster.name, port: cluster.port });
  }, 300_000);

  afterEach(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    await Promise.all(servers.map((server) => server.kill()));
    [loads, servers] = [[], []];
    await cluster?.start();
  });

  afterAll(() => cluster?.drop());

  it('database stopped for 30 s mid-ingest: every frame acked after resends, every row stored exactly once', async () => {
    const server = await startServer();
    const load = await startLoad(server.baseUrl);
    await sleep(LOAD_MS);

    const ackedAtStop = load.ackedKeys().length;
    await cluster!.stop();
    const stoppedAt = performance.now();
    // Acks of commits that raced the stop are on their way; after that, nothing can commit.
    await sleep(ACK_TRANSIT_MS);
    const ackedOnceDown = load.ackedKeys().length;
    await sleep(OUTAGE_MS - ACK_TRANSIT_MS);
    const outageAnswers = load.retryableAnswers();
    const ackedWhileDown = load.ackedKeys().length - ackedOnceDown;
    await cluster!.start();
    const startedAt = performance.now();
    await sleep(1_000);
    load.stopProducing();
    const drained = await load.drained(DRAIN_TIMEOUT_MS);
    const recoveredMs = Math.round(performance.now() - startedAt);

    report('A (database stopped)', { outageMs: Math.round(startedAt - stoppedAt), rowsAckedBeforeStop: ackedAtStop, rowsAckedDuringStop: ackedOnceDown - ackedAtStop, rowsAckedWhileDown: ackedWhileDown, outageAnswers, recoveredMs });
    expectAlive(server);
    expect(ackedWhileDown).toBe(0);
    expect(drained).toBe(true);
    // The held rows reached BUFFER_LIMIT_ROWS while flushes failed: frames were refused and resent.
    expect(outageAnswers.unavailable).toBeGreaterThan(0);
    await expectAllStoredOnce('A (database stopped) final', load, databaseUrl);
  }, 120_000);

  it('SIGTERM under load: the server drains and closes with 1001; acked rows are stored, the rest resent to a new process and stored once', async () => {
    const server = await startServer();
    const load = await startLoad(server.baseUrl);
    await sleep(LOAD_MS);

    const termAt = performance.now();
    server.signal('SIGTERM');
    const exit = await server.exitWithin(30_000);
    const exitMs = Math.round((exit?.at ?? performance.now()) - termAt);
    report('B (SIGTERM)', { exitMs, exit });
    // Nest re-raises the signal once its shutdown hooks are done, so a clean exit is "killed by SIGTERM".
    expect(exit && { clean: exit.code === 0 || exit.signal === 'SIGTERM' }).toEqual({ clean: true });
    await expectAckedStored('B (SIGTERM) at exit', load, databaseUrl);
    await load.disconnected(2_000);
    expect(load.closeCodesByAgent()).toEqual(load.agents.map(() => [1001]));

    const restartedAt = performance.now();
    await startServer();
    await sleep(1_000);
    load.stopProducing();
    const drained = await load.drained(DRAIN_TIMEOUT_MS);
    report('B (SIGTERM) after restart', { recoveredMs: Math.round(performance.now() - restartedAt) });
    expect(drained).toBe(true);
    await expectAllStoredOnce('B (SIGTERM) final', load, databaseUrl);
  }, 90_000);

  it('SIGKILL under load: acked rows are stored; after a restart the resent frames are acked and every row is stored once', async () => {
    const server = await startServer();
    const load = await startLoad(server.baseUrl);
    await sleep(LOAD_MS);

    server.signal('SIGKILL');
    await server.exited;
    await expectAckedStored('C (SIGKILL) at kill', load, databaseUrl);

    const restartedAt = performance.now();
    await startServer();
    await sleep(1_000);
    load.stopProducing();
    const drained = await load.drained(DRAIN_TIMEOUT_MS);
    report('C (SIGKILL) after restart', { closeCodes: load.closeCodes(), recoveredMs: Math.round(performance.now() - restartedAt) });
    expect(drained).toBe(true);
    await expectAllStoredOnce('C (SIGKILL) final', load, databaseUrl);
  }, 90_000);

  it('SIGTERM while the database is down: exits within SHUTDOWN_TIMEOUT, closes with 1001, acks nothing it could not commit', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS / 1000}s` });
    const load = await startLoad(server.baseUrl);
    await sleep(LOAD_MS);
    await cluster!.stop();
    await sleep(1_000);
    const heldFrames = load.unacked;
    expectAlive(server);

    const termAt = performance.now();
    server.signal('SIGTERM');
    const exit = await server.exitWithin(SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS);
    const exitMs = exit ? Math.round(exit.at - termAt) : undefined;
    await server.kill();
    await load.disconnected(2_000);
    load.stopProducing();
    await cluster!.start();
    const afterExit = compareRows(load.ackedKeys(), await storedKeys(databaseUrl, load.hostIds), load.producedKeys());
    report('D (SIGTERM, database down)', { heldFrames, exitMs: exitMs ?? `still running after ${SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS} ms (killed)`, closeCodes: load.closeCodes(), rowsAcked: afterExit.expected, ackedRowsMissing: afterExit.missing });

    expect(heldFrames).toBeGreaterThan(0);
    expect(afterExit).toMatchObject({ missing: 0, duplicated: 0, unexpected: 0 });
    expect(exitMs).toBeDefined();
    expect(load.closeCodesByAgent()).toEqual(load.agents.map(() => [1001]));

    await startServer();
    expect(await load.drained(DRAIN_TIMEOUT_MS)).toBe(true);
    await expectAllStoredOnce('D (SIGTERM, database down) final', load, databaseUrl);
  }, 90_000);
});
