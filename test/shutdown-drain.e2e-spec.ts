import request from 'supertest';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { freePort } from './support/private-cluster.js';
import { ensureBuilt, ServerProcess } from './support/server-process.js';
import { container, dockerId, logLine } from './support/telemetry.js';
import type { TestApp } from './support/test-app.js';

const DRAIN_MS = 2_000;
const ack = expect.objectContaining({ type: 'ack' });

/** A real process on its own embedded database: SIGTERM is what a load balancer's drain is about. */
describe('SHUTDOWN_DRAIN', () => {
  let server: ServerProcess | undefined;

  beforeAll(() => ensureBuilt(240_000), 300_000);
  afterAll(() => server?.kill());

  it('answers /api/ready with 503 at SIGTERM and goes on serving agents and REST for the drain, then closes them with 1001', async () => {
    server = await ServerProcess.start(await freePort(), { SHUTDOWN_DRAIN: `${DRAIN_MS / 1000}s`, SHUTDOWN_TIMEOUT: '10s', BUFFER_FLUSH_MS: '100' });
    const t = { http: () => request(server!.baseUrl), baseUrl: server.baseUrl } as unknown as TestApp;
    const tenant = await signup(t);
    const agent = await AgentClient.connect(server.baseUrl, (await enrolledHost(t, tenant)).agentToken);
    const id = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(id)] })).toEqual(ack);

    server.signal('SIGTERM');
    const signalledAt = performance.now();
    let ready = 200;
    while (ready === 200 && performance.now() - signalledAt < 1_000) ready = (await fetch(`${server.baseUrl}/api/ready`)).status;
    expect(ready).toBe(503);
    // Still serving, halfway through the drain: a frame is committed and acknowledged, REST answers.
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS / 2 - (performance.now() - signalledAt)));
    await t.http().get('/api/health').expect(200);
    expect((await t.http().get('/api/ready').expect(503)).body.error.shutdown).toMatchObject({ status: 'down' });
    expect(await agent.send({ type: 'logs', data: [logLine(id, Date.now(), 'still here')] })).toEqual(ack);
    expect(performance.now() - signalledAt).toBeLessThan(DRAIN_MS);

    // Then the usual close: the agent is told to go, and the process ends by its signal, within the timeout.
    expect((await agent.closed).code).toBe(1001);
    expect(performance.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_MS - 50);
    const exit = await server.exited;
    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    expect(exit.at - signalledAt).toBeLessThan(10_000);
  }, 60_000);
});
