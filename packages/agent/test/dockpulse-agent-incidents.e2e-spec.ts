import { randomBytes } from 'node:crypto';
import { signup, type Tenant } from '../../../test/support/factories.js';
import { startTestApp, tempDir, type TestApp } from '../../../test/support/test-app.js';
import { Agent } from '../src/agent.js';
import { parseConfig, type AgentConfig } from '../src/config.js';
import { captureLog, sleep, waitFor } from './support/agent-harness.js';
import { FakeDockerEngine, type FakeContainer } from './support/fake-docker-engine.js';

const dockerId = () => randomBytes(32).toString('hex');

interface EventRow {
  ts: string;
  action: string;
  exitCode: number | null;
  health: string | null;
}

/**
 * What alert rules need from the reference agent, from the Engine's event stream and inspect: a
 * crash loop (die with its exit code, start, the restart count), an OOM kill, health changes, and
 * Podman's health_status that names no status.
 */
describe('dockpulse-agent: crash loops, OOM kills and health as the server sees them', () => {
  let t: TestApp;
  let tenant: Tenant;
  let engine: FakeDockerEngine;
  let agent: Agent;
  let hostId: string;
  const now = () => new Date().toISOString();
  const running = (name: string, extra: Partial<FakeContainer> = {}): FakeContainer => ({ id: dockerId(), name, image: 'busybox', state: 'running', status: 'Up 1 minute', startedAt: now(), exitCode: 0, restartCount: 0, ...extra });
  const looping = running('looping');
  const hog = running('hog');
  const checked = running('checked', { health: 'healthy', status: 'Up 1 minute (healthy)' });
  const podman = running('podman-checked', { health: 'starting', status: 'Up 1 minute (starting)' });

  const auth = () => ({ authorization: `Bearer ${tenant.token}` });
  const inventory = async () => (await t.http().get(`/api/hosts/${hostId}/containers`).set(auth()).expect(200)).body as (Record<string, unknown> & { id: string; dockerId: string })[];
  const row = async (c: FakeContainer) => (await inventory()).find((r) => r.dockerId === c.id);
  const eventsOf = async (c: FakeContainer) => (await t.http().get(`/api/containers/${(await row(c))!.id}/events`).set(auth()).expect(200)).body as EventRow[];

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    engine = await FakeDockerEngine.start(tempDir('docker-'));
    for (const c of [looping, hog, checked, podman]) engine.add(c);
    const created = (await t.http().post('/api/hosts').set(auth()).send({ name: 'incidents' }).expect(201)).body as { host: { id: string }; enrollmentToken: string };
    hostId = created.host.id;
    const args = ['--server', t.baseUrl, '--state-dir', tempDir('agent-'), '--enrollment-token', created.enrollmentToken, '--docker-socket', engine.socketPath];
    const config: AgentConfig = { ...(parseConfig([...args, '--inventory-interval', '60s', '--logs-flush-interval', '100ms', '--metrics-interval', '1s'], {}) as AgentConfig), reconnectMinMs: 100, reconnectMaxMs: 400 };
    agent = new Agent(config, captureLog('incidents').log);
    await agent.start();
    await waitFor('the inventory', async () => (await inventory()).length === 4);
    // Subscribed to /events before anything happens.
    await waitFor('the events stream', () => engine.callsTo(/^GET \/events$/).length > 0);
  });
  afterAll(async () => {
    await agent?.stop();
    await engine?.close();
    await t?.close();
  });

  it('a crash loop: die with exit code 1, then start, three times; the restart count and state follow in the inventory', async () => {
    for (let restart = 1; restart <= 3; restart++) {
      Object.assign(looping, { state: 'exited', status: 'Exited (1) Less than a second ago', exitCode: 1, finishedAt: now() });
      engine.emit('die', looping.id, { exitCode: '1' });
      await waitFor('exited in the inventory', async () => (await row(looping))?.state === 'exited', 5_000);
      Object.assign(looping, { state: 'running', status: 'Up Less than a second', exitCode: 0, startedAt: now(), restartCount: restart });
      engine.emit('start', looping.id);
      await waitFor(`restart ${restart} in the inventory`, async () => (await row(looping))?.restartCount === restart, 5_000);
    }
    const events = await waitFor('six events', async () => ((await eventsOf(looping)).length === 6 ? eventsOf(looping) : undefined), 5_000);
    expect(events.reverse().map((e) => [e.action, e.exitCode])).toEqual([['die', 1], ['start', null], ['die', 1], ['start', null], ['die', 1], ['start', null]]);
    expect(await row(looping)).toMatchObject({ state: 'running', exitCode: 0, restartCount: 3, finishedAt: expect.any(String) });
  });

  it('an OOM kill: oom, then die with 137; exited with 137 in the inventory', async () => {
    Object.assign(hog, { state: 'exited', status: 'Exited (137) Less than a second ago', exitCode: 137, finishedAt: now() });
    engine.emit('oom', hog.id);
    await sleep(5);
    engine.emit('die', hog.id, { exitCode: '137' });
    const events = await waitFor('oom and die', async () => ((await eventsOf(hog)).length === 2 ? eventsOf(hog) : undefined), 5_000);
    expect(events.reverse().map((e) => [e.action, e.exitCode])).toEqual([['oom', null], ['die', 137]]);
    await waitFor('exited with 137 in the inventory', async () => (await row(hog))?.exitCode === 137, 5_000);
    expect(await row(hog)).toMatchObject({ state: 'exited', exitCode: 137 });
  });

  it('health: health_status unhealthy then healthy (Docker names it in the action), and the inventory follows', async () => {
    Object.assign(checked, { health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' });
    engine.emit('health_status: unhealthy', checked.id);
    await waitFor('unhealthy in the inventory', async () => (await row(checked))?.health === 'unhealthy', 5_000);
    await sleep(5);
    Object.assign(checked, { health: 'healthy', status: 'Up 2 minutes (healthy)' });
    engine.emit('health_status: healthy', checked.id);
    await waitFor('healthy in the inventory', async () => (await row(checked))?.health === 'healthy', 5_000);
    const events = await waitFor('two health events', async () => ((await eventsOf(checked)).length === 2 ? eventsOf(checked) : undefined), 5_000);
    expect(events.reverse().map((e) => [e.action, e.health])).toEqual([['health_status', 'unhealthy'], ['health_status', 'healthy']]);
  });

  it("Podman's health_status without a status carries the container's health as inspect tells it", async () => {
    Object.assign(podman, { health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' });
    engine.emit('health_status', podman.id, { containerExitCode: '0', podId: '' });
    const [event] = await waitFor('the health event', async () => ((await eventsOf(podman)).length ? eventsOf(podman) : undefined), 5_000);
    expect(event).toMatchObject({ action: 'health_status', health: 'unhealthy' });
    await waitFor('unhealthy in the inventory', async () => (await row(podman))?.health === 'unhealthy', 5_000);
  });
});
