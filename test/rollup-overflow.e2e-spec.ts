import { RollupService } from '../src/rollups/rollup.service.js';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const S = 1_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const BIGGEST_COUNT = 2 ** 53 - 1;
/** Rises of a counter alternating 0 and 2^53 − 1 in one minute: their sum is past int8 (2^63 ≈ 9.2e18). */
const RISES = 1_100;

/**
 * Huge but accepted values (finite doubles near the float8 maximum, counts up to 2^53 − 1) must
 * neither break the per-minute rollups (of anyone: one worker rolls up every tenant) nor the
 * bucketed reads of their own series.
 */
describe('rollups and bucketed reads with huge accepted values', () => {
  let t: TestApp;
  let attacker: Tenant;
  let victim: Tenant;
  let attackerHost: { hostId: string; agentToken: string };
  let victimHost: { hostId: string; agentToken: string };
  let attackerAgent: AgentClient;
  let victimAgent: AgentClient;
  /** A minute 10 minutes ago: inside every default window. */
  const minute = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
  const attackerDocker = dockerId();
  const victimDocker = dockerId();

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    attacker = await signup(t);
    victim = await signup(t);
    attackerHost = await enrolledHost(t, attacker, 'attacker');
    victimHost = await enrolledHost(t, victim, 'victim');
    attackerAgent = await AgentClient.connect(t.baseUrl, attackerHost.agentToken);
    victimAgent = await AgentClient.connect(t.baseUrl, victimHost.agentToken);
  });
  afterAll(async () => {
    await attackerAgent.close();
    await victimAgent.close();
    await t.close();
  });

  const get = (tenant: Tenant, path: string) => t.http().get(path).auth(tenant.token, { type: 'bearer' });
  const acked = async (agent: AgentClient, type: string, data: unknown[]) => expect(await agent.send({ type, data })).toEqual(expect.objectContaining({ type: 'ack' }));
  const range = `from=${iso(minute)}&to=${iso(minute + MIN)}`;
  const containerIdOf = async (tenant: Tenant, hostId: string, docker: string) => {
    const list = (await get(tenant, `/api/hosts/${hostId}/containers`).expect(200)).body as Array<{ id: string; dockerId: string }>;
    return list.find((c) => c.dockerId === docker)!.id;
  };
  const victimMinute = async () => {
    const containerId = await containerIdOf(victim, victimHost.hostId, victimDocker);
    const container = (await get(victim, `/api/containers/${containerId}/metrics?${range}&bucket=1m`).expect(200)).body;
    const host = (await get(victim, `/api/hosts/${victimHost.hostId}/metrics?${range}&bucket=1m`).expect(200)).body;
    return { container: container.map((b: { samples: number }) => b.samples), host: host.map((b: { samples: number }) => b.samples) };
  };

  it("keep rolling up another organization's minutes, and answer the attacker's bucketed reads", async () => {
    await acked(victimAgent, 'metrics', [metric(victimDocker, iso(minute + 1 * S)), metric(victimDocker, iso(minute + 2 * S))]);
    await acked(victimAgent, 'host_metrics', [hostMetric(iso(minute + 1 * S)), hostMetric(iso(minute + 2 * S))]);
    expect(await victimMinute()).toEqual({ container: [2], host: [2] });

    await acked(attackerAgent, 'host_metrics', [
      hostMetric(iso(minute + 3 * S), { load1: 1.7e308, load5: Number.MAX_VALUE, load15: Number.MAX_VALUE }),
      hostMetric(iso(minute + 4 * S), { load1: 1.7e308, load5: Number.MAX_VALUE, load15: 0 }),
    ]);
    const counter = Array.from({ length: 2 * RISES }, (_, i) =>
      metric(attackerDocker, iso(minute + 5 * S + i * 20), { networkRx: i % 2 === 0 ? 0 : BIGGEST_COUNT, memoryUsed: BIGGEST_COUNT, cpuPercent: 100_000 }),
    );
    await acked(attackerAgent, 'metrics', counter);

    await acked(victimAgent, 'metrics', [metric(victimDocker, iso(minute + 6 * S)), metric(victimDocker, iso(minute + 7 * S))]);
    await acked(victimAgent, 'host_metrics', [hostMetric(iso(minute + 6 * S)), hostMetric(iso(minute + 7 * S))]);
    expect(await victimMinute()).toEqual({ container: [4], host: [4] });

    for (const bucket of ['10s', '1m', '1h']) {
      const res = await get(attacker, `/api/hosts/${attackerHost.hostId}/metrics?${range}&bucket=${bucket}`);
      expect({ bucket, status: res.status }).toEqual({ bucket, status: 200 });
      expect({ bucket, load1: res.body[0].load1, load5: res.body[0].load5, load15: res.body[0].load15 }).toEqual({
        bucket,
        load1: 1.7e308,
        load5: Number.MAX_VALUE,
        load15: Number.MAX_VALUE / 2,
      });
    }

    const containerId = await containerIdOf(attacker, attackerHost.hostId, attackerDocker);
    for (const bucket of ['1m', '1h', '30s']) {
      const res = await get(attacker, `/api/containers/${containerId}/metrics?${range}&bucket=${bucket}`);
      expect({ bucket, status: res.status }).toEqual({ bucket, status: 200 });
      const rx = res.body.reduce((sum: number, b: { networkRx: number }) => sum + b.networkRx, 0);
      expect(Math.abs(rx / (RISES * BIGGEST_COUNT) - 1)).toBeLessThan(1e-12);
      expect(res.body[0].cpu).toEqual({ avg: 100_000, max: 100_000 });
      expect(res.body[0].memory.max).toBe(BIGGEST_COUNT);
      expect(Math.abs(res.body[0].memory.avg / BIGGEST_COUNT - 1)).toBeLessThan(1e-12);
    }
  });

  it('leave no minute pending and drop none: every accepted value fits the rollup columns', async () => {
    const rollups = t.app.get(RollupService);
    await rollups.settle();
    expect({ pending: rollups.pending, failedMinutes: rollups.failedMinutes }).toEqual({ pending: 0, failedMinutes: 0 });
  });
});
