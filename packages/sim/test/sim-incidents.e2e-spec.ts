import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { SimulatedFleet, type SimContainerControl } from '../src/fleet.js';

interface ContainerRow {
  id: string;
  dockerId: string;
  state: string;
  health: string | null;
  exitCode: number | null;
  restartCount: number | null;
}
interface EventRow {
  ts: string;
  action: string;
  exitCode: number | null;
  health: string | null;
}

const FIVE_MINUTES = 5 * 60_000;

describe('dockpulse-sim incidents on demand, as the server sees them', () => {
  let t: TestApp;
  let fleet: SimulatedFleet;
  let hostId: string;
  let looping: SimContainerControl;
  let oom: SimContainerControl;
  let sick: SimContainerControl;
  const statesSeen = new Set<string>();

  const get = async <T>(path: string): Promise<T> => (await t.http().get(path).auth(fleet.accessToken as string, { type: 'bearer' }).expect(200)).body as T;
  const inventory = () => get<ContainerRow[]>(`/api/hosts/${hostId}/containers`);
  const row = async (control: SimContainerControl) => (await inventory()).find((c) => c.dockerId === control.dockerId) as ContainerRow;
  const events = async (control: SimContainerControl) => get<EventRow[]>(`/api/containers/${(await row(control)).id}/events`);

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    // Seven containers: one of each service, so some have a healthcheck and some do not.
    fleet = new SimulatedFleet({ server: t.baseUrl, hosts: 1, containersPerHost: 7, intervalMs: 250 });
    await fleet.start();
    await fleet.waitUntilConnected(10_000);
    hostId = fleet.hosts()[0].hostId;
    await until('the inventory', async () => fleet.stats().rowsAcked.metrics > 0);
    [looping] = fleet.containers('*-worker-1');
    [oom] = fleet.containers('*-cache-1');
    [sick] = fleet.containers('*-web-1');
    expect(sick.hasHealthcheck).toBe(true);
    expect(await row(sick)).toMatchObject({ state: 'running', health: 'healthy' });

    looping.crashLoop();
    oom.oomKill();
    sick.makeUnhealthy();
    await until('3 restarts, an OOM kill and an unhealthy container in the inventory', async () => {
      const [loopRow, oomRow, sickRow] = [await row(looping), await row(oom), await row(sick)];
      statesSeen.add(loopRow.state);
      return (loopRow.restartCount ?? 0) >= 3 && statesSeen.has('exited') && oomRow.exitCode === 137 && sickRow.health === 'unhealthy';
    });
    looping.stopCrashLoop();
    sick.makeHealthy();
    await until('the crash loop over and the container healthy again', async () => (await row(sick)).health === 'healthy' && (await row(looping)).state === 'running');
    await fleet.stop();
  });
  afterAll(async () => {
    await fleet?.stop();
    await t?.close();
  });

  it('acknowledges every frame it sent: the incidents are valid protocol', () => {
    const stats = fleet.stats();
    expect(stats.errors).toEqual({});
    expect(stats.acks).toBe(stats.framesSent);
    expect(stats.rowsAcked.container_events).toBeGreaterThanOrEqual(9);
  });

  it('a crash loop: die with exit code 1 and start, again and again, 3 starts within 5 minutes; exited then running in the inventory', async () => {
    const stored = (await events(looping)).reverse();
    const dies = stored.filter((e) => e.action === 'die');
    const starts = stored.filter((e) => e.action === 'start').map((e) => Date.parse(e.ts));
    expect(dies.length).toBeGreaterThanOrEqual(3);
    expect(dies.every((e) => e.exitCode === 1)).toBe(true);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts[2] - starts[0]).toBeLessThan(FIVE_MINUTES);
    // Each die is followed by a start, as a restart policy does.
    expect(stored.filter((e) => e.action === 'die' || e.action === 'start').map((e) => e.action).slice(0, 6)).toEqual(['die', 'start', 'die', 'start', 'die', 'start']);
    expect(statesSeen).toEqual(new Set(['running', 'exited']));
    expect(await row(looping)).toMatchObject({ state: 'running', exitCode: 0, restartCount: starts.length });
  });

  it('a crash loop: the dying process wrote panic lines on stderr before each die', async () => {
    const id = (await row(looping)).id;
    const { items } = await get<{ items: { ts: string; stream: string; line: string }[] }>(`/api/containers/${id}/logs?q=panic:&limit=100`);
    const dies = (await events(looping)).filter((e) => e.action === 'die');
    expect(items.length).toBe(dies.length);
    expect(items.every((l) => l.stream === 'stderr' && l.line.startsWith('panic: '))).toBe(true);
    const firstDie = Date.parse(dies[dies.length - 1].ts);
    expect(Date.parse(items[items.length - 1].ts)).toBeLessThan(firstDie);
  });

  it('an OOM kill: memory at its limit in the metrics, then oom and die 137; exited in the inventory', async () => {
    const stored = (await events(oom)).reverse().map((e) => [e.action, e.exitCode]);
    expect(stored).toEqual([['oom', null], ['die', 137]]);
    expect(await row(oom)).toMatchObject({ state: 'exited', exitCode: 137 });
    const samples = await get<{ ts: string; memoryUsed: number; memoryLimit: number }[]>(`/api/containers/${(await row(oom)).id}/metrics`);
    const [last] = samples;
    expect(last.memoryUsed).toBe(last.memoryLimit);
    expect(Date.parse(last.ts)).toBeLessThan(Date.parse((await events(oom))[0].ts));
    // The climb: strictly growing over the last rounds before the kill.
    expect(samples[1].memoryUsed).toBeLessThan(last.memoryUsed);
    expect(samples[2].memoryUsed).toBeLessThan(samples[1].memoryUsed);
  });

  it('unhealthy: health_status unhealthy then healthy, and the inventory says so', async () => {
    const stored = (await events(sick)).reverse().map((e) => [e.action, e.health]);
    expect(stored).toEqual([['health_status', 'unhealthy'], ['health_status', 'healthy']]);
    expect(await row(sick)).toMatchObject({ state: 'running', health: 'healthy' });
  });
});
