import { randomUUID } from 'node:crypto';
import { MetricsQueryRepository } from '../src/metrics/metrics-query.repository.js';
import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const S = 1_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** The four counters moving together, so one series of values checks every delta column. */
const counters = (value: number) => ({ networkRx: value, networkTx: 2 * value, blockRead: 3 * value, blockWrite: 4 * value });
const deltas = (value: number) => ({ networkRx: value, networkTx: 2 * value, blockRead: 3 * value, blockWrite: 4 * value });

describe('metrics history: container and host endpoints', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  /** A ten-minute boundary 30–40 minutes ago: inside every default window, and bucket-aligned for any width up to 10 m. */
  const base = Math.floor((Date.now() - 30 * MIN) / (10 * MIN)) * (10 * MIN) - 10 * MIN;

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', RETENTION_CRON: '0 0 1 1 *' });
    tenant = await signup(t);
    other = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  const get = (path: string, token = tenant.token) => t.http().get(path).auth(token, { type: 'bearer' });

  /** Sends samples of a new container (acked means committed) and returns its API id. */
  async function containerWith(samples: Array<[offsetMs: number, overrides: Record<string, unknown>]>): Promise<string> {
    const id = dockerId();
    const answer = await agent.send({ type: 'metrics', data: samples.map(([offset, overrides]) => metric(id, iso(base + offset), overrides)) });
    expect(answer).toEqual({ type: 'ack', seq: answer.seq });
    const list = (await get(`/api/hosts/${host.hostId}/containers`).expect(200)).body as Array<{ id: string; dockerId: string }>;
    return list.find((c) => c.dockerId === id)!.id;
  }

  describe('buckets from raw samples', () => {
    let id: string;
    beforeAll(async () => {
      id = await containerWith([
        [0, { cpuPercent: 10, memoryUsed: 100, ...counters(1000) }],
        [2 * S, { cpuPercent: 20, memoryUsed: 300, ...counters(1500) }],
        [5 * S, { cpuPercent: 30, memoryUsed: 200, ...counters(1600) }],
        [10 * S, { cpuPercent: 40, memoryUsed: 400, ...counters(1700) }],
        [12 * S, { cpuPercent: 50, memoryUsed: 600, ...counters(2000) }],
        [30 * S, { cpuPercent: 60, memoryUsed: 700, ...counters(2100) }],
      ]);
    });

    it('aggregates each non-empty bucket exactly, newest first; the first sample ever adds no delta', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base)}&to=${iso(base + MIN)}&bucket=10s`).expect(200);
      expect(res.body).toEqual([
        { ts: iso(base + 30 * S), samples: 1, cpu: { avg: 60, max: 60 }, memory: { avg: 700, max: 700 }, ...deltas(100) },
        { ts: iso(base + 10 * S), samples: 2, cpu: { avg: 45, max: 50 }, memory: { avg: 500, max: 600 }, ...deltas(400) },
        { ts: iso(base), samples: 3, cpu: { avg: 20, max: 30 }, memory: { avg: 200, max: 300 }, ...deltas(600) },
      ]);
    });

    it('aligns buckets to multiples of the width since the epoch and returns edge buckets whole', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${base + 3 * S}&to=${base + 11 * S}&bucket=10s`).expect(200);
      expect(res.body.map((b: { ts: string; samples: number }) => [b.ts, b.samples])).toEqual([
        [iso(base + 10 * S), 2],
        [iso(base), 3],
      ]);
    });

    it('takes the first delta from the sample before `from`', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base + 10 * S)}&to=${iso(base + MIN)}&bucket=10s`).expect(200);
      expect(res.body.map((b: Record<string, unknown>) => b.networkRx)).toEqual([100, 400]);
      expect(res.body[1]).toMatchObject(deltas(400));
    });

    it('limits buckets to the newest ones', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base)}&to=${iso(base + MIN)}&bucket=10s&limit=2`).expect(200);
      expect(res.body.map((b: { ts: string }) => b.ts)).toEqual([iso(base + 30 * S), iso(base + 10 * S)]);
    });

    it('returns raw samples newest first, limited, with every field', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base)}&to=${iso(base + MIN)}&limit=2`).expect(200);
      expect(res.body).toEqual([
        { ts: iso(base + 30 * S), cpuPercent: 60, memoryUsed: 700, memoryLimit: 2_000_000_000, ...counters(2100), pids: 7 },
        { ts: iso(base + 12 * S), cpuPercent: 50, memoryUsed: 600, memoryLimit: 2_000_000_000, ...counters(2000), pids: 7 },
      ]);
    });

    it('defaults to the last hour', async () => {
      const res = await get(`/api/containers/${id}/metrics`).expect(200);
      expect(res.body).toHaveLength(6);
      expect(res.body[0].ts).toBe(iso(base + 30 * S));
    });
  });

  describe('counter resets', () => {
    let id: string;
    beforeAll(async () => {
      id = await containerWith([
        [0, counters(5000)],
        [2 * S, counters(6000)],
        [4 * S, counters(200)], // restarted: counts from zero
        [6 * S, counters(700)],
        [10 * S, counters(100)], // restarted again, across a bucket boundary
        [12 * S, counters(400)],
      ]);
    });

    it('count a reset as a new series from zero inside a bucket and across buckets, never negative', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base)}&to=${iso(base + MIN)}&bucket=10s`).expect(200);
      expect(res.body.map((b: Record<string, unknown>) => ({ ts: b.ts, networkRx: b.networkRx, blockWrite: b.blockWrite }))).toEqual([
        { ts: iso(base + 10 * S), networkRx: 100 + 300, blockWrite: 4 * (100 + 300) },
        { ts: iso(base), networkRx: 1000 + 200 + 500, blockWrite: 4 * (1000 + 200 + 500) },
      ]);
    });

    it('give the same sums through the per-minute rollups', async () => {
      const res = await get(`/api/containers/${id}/metrics?from=${iso(base)}&to=${iso(base + MIN)}&bucket=1m`).expect(200);
      expect(res.body).toEqual([expect.objectContaining({ ts: iso(base), samples: 6, ...deltas(1000 + 200 + 500 + 100 + 300) })]);
    });
  });

  it('answers the same through raw samples and rollups for whole-minute buckets', async () => {
    // Three minutes at 1 s with a restart in the middle one; cpu and memory values exact in binary.
    const samples: Array<[number, Record<string, unknown>]> = [];
    for (let s = 0; s < 180; s++) {
      const counter = s < 95 ? 10_000 + 37 * s : 13 * (s - 95);
      samples.push([s * S, { cpuPercent: (s % 16) * 0.5, memoryUsed: 1_000_000 + (s % 7) * 1024, ...counters(counter) }]);
    }
    const id = await containerWith(samples);
    const range = `from=${iso(base)}&to=${iso(base + 3 * MIN)}`;
    const repository = t.app.get(MetricsQueryRepository);
    for (const [bucket, ms] of [['1m', MIN], ['3m', 3 * MIN]] as const) {
      const fromRollups = (await get(`/api/containers/${id}/metrics?${range}&bucket=${bucket}`).expect(200)).body;
      const fromRaw = await repository.buckets('raw', id, new Date(base), new Date(base + 3 * MIN), ms, 1000);
      expect(fromRollups.map((b: Record<string, number>) => [b.ts, b.samples, b.networkRx, b.blockWrite])).toEqual(
        fromRaw.map((r) => [r.ts, r.samples, r.networkRx, r.blockWrite]),
      );
      fromRollups.forEach((b: { cpu: { avg: number; max: number }; memory: { avg: number; max: number } }, i: number) => {
        expect(b.cpu.avg).toBeCloseTo(fromRaw[i].cpuAvg, 9);
        expect(b.cpu.max).toBe(fromRaw[i].cpuMax);
        expect(b.memory.avg).toBeCloseTo(fromRaw[i].memoryAvg, 6);
        expect(b.memory.max).toBe(fromRaw[i].memoryMax);
      });
    }
    // 30 s buckets (raw) pair up into the 1 m buckets (rollups).
    const halves = (await get(`/api/containers/${id}/metrics?${range}&bucket=30s`).expect(200)).body as Array<{ networkRx: number; samples: number }>;
    const minutes = (await get(`/api/containers/${id}/metrics?${range}&bucket=1m`).expect(200)).body as Array<{ networkRx: number; samples: number }>;
    expect(minutes.map((m) => m.networkRx)).toEqual([0, 1, 2].map((i) => halves[2 * i].networkRx + halves[2 * i + 1].networkRx));
    expect(minutes.map((m) => m.samples)).toEqual([60, 60, 60]);
    expect(minutes.reduce((sum, m) => sum + m.networkRx, 0)).toBe(37 * 94 + 13 * 84);
  });

  describe('host metrics', () => {
    beforeAll(async () => {
      const samples = [
        hostMetric(iso(base), { cpuPercent: 10, load1: 1, memoryUsed: 1000, diskUsed: 500, networkRx: 900, networkTx: 90 }),
        hostMetric(iso(base + 20 * S), { cpuPercent: 30, load1: 2, memoryUsed: 3000, diskUsed: 800, networkRx: 1000, networkTx: 100 }),
        hostMetric(iso(base + 40 * S), { cpuPercent: 20, load1: 3, memoryUsed: 2000, diskUsed: 700, networkRx: 50, networkTx: 5 }), // reboot
        hostMetric(iso(base + 70 * S), { cpuPercent: 40, load1: 6, memoryUsed: 4000, diskUsed: 600, networkRx: 150, networkTx: 15 }),
      ];
      const answer = await agent.send({ type: 'host_metrics', data: samples });
      expect(answer).toEqual({ type: 'ack', seq: answer.seq });
    });

    it('returns raw samples newest first', async () => {
      const res = await get(`/api/hosts/${host.hostId}/metrics?from=${iso(base)}&to=${iso(base + 2 * MIN)}&limit=1`).expect(200);
      expect(res.body).toEqual([
        {
          ts: iso(base + 70 * S),
          cpuPercent: 40,
          load1: 6,
          load5: 0.4,
          load15: 0.3,
          memoryUsed: 4000,
          memoryTotal: 16_000_000_000,
          diskUsed: 600,
          diskTotal: 500_000_000_000,
          networkRx: 150,
          networkTx: 15,
        },
      ]);
    });

    it('aggregates buckets the same way from raw samples (30 s) and from rollups (1 m)', async () => {
      const minute = { cpu: { avg: 20, max: 30 }, load1: 2, memory: { avg: 2000, max: 3000, total: 16_000_000_000 }, disk: { last: 700, max: 800, total: 500_000_000_000 } };
      const rollups = await get(`/api/hosts/${host.hostId}/metrics?from=${iso(base)}&to=${iso(base + 2 * MIN)}&bucket=1m`).expect(200);
      expect(rollups.body).toEqual([
        expect.objectContaining({ ts: iso(base + MIN), samples: 1, cpu: { avg: 40, max: 40 }, disk: expect.objectContaining({ last: 600 }), networkRx: 100, networkTx: 10 }),
        expect.objectContaining({ ts: iso(base), samples: 3, ...minute, networkRx: 100 + 50, networkTx: 10 + 5 }),
      ]);
      expect(rollups.body[1].load5).toBeCloseTo(0.4, 12);
      const raw = await get(`/api/hosts/${host.hostId}/metrics?from=${iso(base)}&to=${iso(base + 2 * MIN)}&bucket=30s`).expect(200);
      expect(raw.body.map((b: Record<string, unknown>) => [b.ts, b.samples, b.networkRx])).toEqual([
        [iso(base + 60 * S), 1, 100],
        [iso(base + 30 * S), 1, 50],
        [iso(base), 2, 100],
      ]);
    });
  });

  describe('history (the original design query)', () => {
    let first: string;
    let second: string;
    beforeAll(async () => {
      first = await containerWith([
        [1 * S, { cpuPercent: 1 }],
        [3 * S, { cpuPercent: 3 }],
      ]);
      second = await containerWith([[2 * S, { cpuPercent: 2 }]]);
    });

    it('returns one container’s raw samples newest first with its ids', async () => {
      const res = await get(`/api/metrics/containers/history?hours=1&containerId=${first}`).expect(200);
      expect(res.body).toEqual([
        expect.objectContaining({ ts: iso(base + 3 * S), containerId: first, hostId: host.hostId, cpuPercent: 3, memoryUsed: 100_000_000 }),
        expect.objectContaining({ ts: iso(base + S), containerId: first, hostId: host.hostId, cpuPercent: 1 }),
      ]);
    });

    it('covers every container of the organization by default, and only those', async () => {
      const res = await get('/api/metrics/containers/history').expect(200);
      const ids = new Set(res.body.map((r: { containerId: string }) => r.containerId));
      expect([...ids]).toEqual(expect.arrayContaining([first, second]));
      const stamps = res.body.map((r: { ts: string }) => r.ts);
      expect(stamps).toEqual([...stamps].sort().reverse());
      expect((await get('/api/metrics/containers/history', other.token).expect(200)).body).toEqual([]);
      expect((await get('/api/metrics/containers/history?limit=3').expect(200)).body).toHaveLength(3);
    });

    it('rejects bad hours and limits, and hides other tenants’ containers', async () => {
      for (const query of ['hours=0', 'hours=-1', 'hours=1.5', 'hours=abc', 'hours=721', 'limit=0', 'limit=5001', 'since=1']) {
        const res = await get(`/api/metrics/containers/history?${query}`).expect(400);
        expect(JSON.stringify(res.body.message)).toMatch(/hours|limit|since/);
      }
      await get(`/api/metrics/containers/history?containerId=${first}`, other.token).expect(404, { statusCode: 404, message: 'Container not found', error: 'Not Found' });
      await get('/api/metrics/containers/history?containerId=not-an-id').expect(404);
    });
  });

  describe('validation and tenancy', () => {
    let id: string;
    beforeAll(async () => {
      id = await containerWith([[0, {}]]);
    });

    it.each([
      ['from=yesterday', /from must be an ISO 8601 timestamp/],
      ['to=2026-13-45T00:00:00Z', /to must be an ISO 8601 timestamp/],
      [`from=${iso(base + MIN)}&to=${iso(base)}`, /from must be earlier than to/],
      ['bucket=7x', /bucket must be/],
      ['bucket=0s', /bucket must be/],
      ['bucket=1500ms', /bucket must be/],
      ['bucket=8d', /bucket must be/],
      ['limit=0', /limit must be between 1 and 5000/],
      ['limit=5001', /limit must be between 1 and 5000/],
    ])('400 for %s', async (query, message) => {
      const container = await get(`/api/containers/${id}/metrics?${query}`).expect(400);
      expect(JSON.stringify(container.body.message)).toMatch(message);
      await get(`/api/hosts/${host.hostId}/metrics?${query}`).expect(400);
    });

    it('404 for another organization’s or an unknown container or host', async () => {
      await get(`/api/containers/${id}/metrics`, other.token).expect(404, { statusCode: 404, message: 'Container not found', error: 'Not Found' });
      await get(`/api/containers/${randomUUID()}/metrics?bucket=1m`).expect(404);
      await get('/api/containers/nope/metrics').expect(404);
      await get(`/api/hosts/${host.hostId}/metrics`, other.token).expect(404, { statusCode: 404, message: 'Host not found', error: 'Not Found' });
      await get(`/api/hosts/${randomUUID()}/metrics?bucket=10s`).expect(404);
    });

    it('needs a token, and any role may read', async () => {
      await t.http().get(`/api/containers/${id}/metrics`).expect(401);
      const viewer = await addUser(t, tenant, 'viewer');
      expect((await get(`/api/containers/${id}/metrics?from=${iso(base)}`, viewer).expect(200)).body).toHaveLength(1);
      await get(`/api/containers/${id}/metrics?bucket=5m`, viewer).expect(200);
      await get(`/api/hosts/${host.hostId}/metrics?bucket=1m`, viewer).expect(200);
      await get(`/api/metrics/containers/history?containerId=${id}`, viewer).expect(200);
    });

    it('documents the endpoints in OpenAPI', async () => {
      const doc = (await t.http().get('/docs-json').expect(200)).body;
      expect(doc.paths['/api/containers/{containerId}/metrics'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['containerId', 'from', 'to', 'bucket', 'limit']),
      );
      expect(doc.paths['/api/metrics/containers/history'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['hours', 'containerId', 'limit']),
      );
      expect(doc.paths['/api/hosts/{hostId}/metrics'].get.summary).toBeTruthy();
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ContainerMetricBucket', 'HostMetricBucket', 'AvgMax']));
    });
  });
});
