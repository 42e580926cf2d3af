import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ResendingAgent, type SpooledFrame } from './resending-agent.js';
import { container, dockerId, hostMetric, logLine, metric } from './telemetry.js';

/** A row's identity as the check reads it back: `<table>:<marker>`, the marker unique per run. */
export type RowKey = string;

const CONTAINERS = 5;
const METRIC_SAMPLES = 20; // per container: 100 rows a frame
const LOG_LINES = 40;
const HOST_SAMPLES = 10;

async function post(baseUrl: string, path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Signs up `tenants` organizations with `hostsEach` enrolled hosts; returns the hosts. */
export async function enrollFleet(baseUrl: string, tenants: number, hostsEach: number): Promise<Array<{ hostId: string; agentToken: string }>> {
  const hosts = [];
  for (let t = 0; t < tenants; t++) {
    const { accessToken } = await post(baseUrl, '/api/auth/signup', { email: `faults-${randomUUID()}@example.test`, password: 'fault-suite-42', organization: `Faults ${t}` });
    for (let h = 0; h < hostsEach; h++) {
      const { enrollmentToken } = await post(baseUrl, '/api/hosts', { name: `faults-${t}-${h}` }, accessToken);
      hosts.push(await post(baseUrl, '/api/agent/enroll', { enrollmentToken, hostname: `faults-${t}-${h}.local`, agentVersion: 'faults' }));
    }
  }
  return hosts;
}

/**
 * One host's telemetry, every row checkable: metrics and host metrics carry a unique marker in
 * `memoryUsed`, log lines a unique text; timestamps never repeat. Frames cycle through the kinds.
 */
export class TelemetryStream {
  readonly containers = Array.from({ length: CONTAINERS }, () => dockerId());
  private marker: number;
  private ts = Date.now() - 3_600_000;
  private turn = 0;

  constructor(index: number) {
    this.marker = (index + 1) * 1_000_000_000;
  }

  next(): { type: string; body: Record<string, unknown>; keys: RowKey[] } {
    const kind = ['metrics', 'logs', 'host_metrics'][this.turn++ % 3];
    const keys: RowKey[] = [];
    const data: unknown[] = [];
    const count = kind === 'metrics' ? METRIC_SAMPLES * CONTAINERS : kind === 'logs' ? LOG_LINES : HOST_SAMPLES;
    for (let i = 0; i < count; i++) {
      const marker = this.marker++;
      const ts = this.ts++;
      const id = this.containers[i % CONTAINERS];
      if (kind === 'metrics') data.push(metric(id, ts, { memoryUsed: marker }));
      else if (kind === 'host_metrics') data.push(hostMetric(ts, { memoryUsed: marker }));
      else data.push(logLine(id, ts, `fault-suite line ${marker}`, i % 2 ? 'stderr' : 'stdout'));
      keys.push(`${kind}:${marker}`);
    }
    return { type: kind, body: { data }, keys };
  }

  snapshot(): Record<string, unknown> {
    return { data: this.containers.map((id) => container(id)) };
  }
}

/** Agents streaming a frame each `everyMs` into their spools until stopped (they go on collecting whether or not they are connected). */
export class FaultLoad {
  readonly agents: ResendingAgent<RowKey>[];
  private readonly streams: TelemetryStream[];
  private timer?: NodeJS.Timeout;

  constructor(
    baseUrl: string,
    hosts: Array<{ agentToken: string }>,
    readonly hostIds: string[],
    window = 8,
  ) {
    this.agents = hosts.map((host) => new ResendingAgent<RowKey>(baseUrl, host.agentToken, window));
    this.streams = hosts.map((_, i) => new TelemetryStream(i));
  }

  static async enroll(baseUrl: string, tenants: number, hostsEach: number, window?: number): Promise<FaultLoad> {
    const hosts = await enrollFleet(baseUrl, tenants, hostsEach);
    return new FaultLoad(baseUrl, hosts, hosts.map((h) => h.hostId), window);
  }

  /** Connects every agent and has its inventory acked (metrics of unknown containers need the database). */
  async connect(timeoutMs = 10_000): Promise<void> {
    this.agents.forEach((agent, i) => {
      agent.start();
      agent.enqueue('containers', this.streams[i].snapshot(), []);
    });
    const ok = await Promise.all(this.agents.map((agent) => agent.drained(timeoutMs)));
    if (!ok.every(Boolean)) throw new Error('Inventory snapshots were not acked');
  }

  produce(everyMs: number): void {
    this.timer = setInterval(() => {
      this.agents.forEach((agent, i) => {
        const { type, body, keys } = this.streams[i].next();
        agent.enqueue(type, body, keys);
      });
    }, everyMs);
  }

  stopProducing(): void {
    clearInterval(this.timer);
  }

  async drained(timeoutMs: number): Promise<boolean> {
    return (await Promise.all(this.agents.map((agent) => agent.drained(timeoutMs)))).every(Boolean);
  }

  async stop(): Promise<void> {
    this.stopProducing();
    await Promise.all(this.agents.map((agent) => agent.stop()));
  }

  frames(): SpooledFrame<RowKey>[] {
    return this.agents.flatMap((agent) => agent.acked);
  }

  /** Row keys of every frame produced so far, acked or not. */
  producedKeys(): Set<RowKey> {
    return new Set(this.agents.flatMap((agent) => [...agent.acked, ...agent.pending()].flatMap((frame) => frame.keys)));
  }

  /** Row keys of every frame acked so far. */
  ackedKeys(): RowKey[] {
    return this.frames().flatMap((frame) => frame.keys);
  }

  /** Waits (up to `timeoutMs`) until no agent holds a socket: they saw the server go. */
  async disconnected(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.agents.some((agent) => agent.connected) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** The distinct close codes each agent has seen, per agent. */
  closeCodesByAgent(): number[][] {
    return this.agents.map((agent) => [...new Set(agent.closeCodes)]);
  }

  get unacked(): number {
    return this.agents.reduce((sum, agent) => sum + agent.unacked, 0);
  }

  retryableAnswers(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const agent of this.agents) for (const [code, n] of agent.retryableAnswers) totals[code] = (totals[code] ?? 0) + n;
    return totals;
  }

  refused(): string[] {
    return this.agents.flatMap((agent) => agent.refused.map(({ frame, answer }) => `${frame.type} ${frame.seq}: ${JSON.stringify(answer)}`));
  }

  extraAcks(): number {
    return this.agents.reduce((sum, agent) => sum + agent.extraAcks, 0);
  }

  resends(): number {
    return this.agents.reduce((sum, agent) => sum + agent.acked.reduce((n, frame) => n + frame.sends - 1, 0), 0);
  }

  closeCodes(): number[] {
    return this.agents.flatMap((agent) => agent.closeCodes);
  }
}

/** Every stored row of these hosts, as row keys, one per row (duplicates kept). */
export async function storedKeys(databaseUrl: string, hostIds: string[]): Promise<RowKey[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>(
      `SELECT 'metrics:' || memory_used AS key FROM container_metrics WHERE host_id = ANY($1::uuid[])
       UNION ALL SELECT 'host_metrics:' || memory_used FROM host_metrics WHERE host_id = ANY($1::uuid[])
       UNION ALL SELECT 'logs:' || substr(line, length('fault-suite line ') + 1) FROM container_logs WHERE host_id = ANY($1::uuid[])`,
      [hostIds],
    );
    return rows.map((row) => row.key);
  } finally {
    await client.end();
  }
}

export interface Comparison {
  expected: number;
  stored: number;
  missing: number;
  duplicated: number;
  unexpected: number;
  /** A few missing keys, to say what went wrong. */
  missingSample: RowKey[];
}

/** `stored` against the keys that must be there: how many are missing, stored twice, or never sent. */
export function compareRows(mustHave: Iterable<RowKey>, stored: RowKey[], sent?: Set<RowKey>): Comparison {
  const counts = new Map<RowKey, number>();
  for (const key of stored) counts.set(key, (counts.get(key) ?? 0) + 1);
  const expected = new Set(mustHave);
  const missingKeys = [...expected].filter((key) => !counts.has(key));
  let duplicated = 0;
  let unexpected = 0;
  for (const [key, n] of counts) {
    if (n > 1) duplicated += n - 1;
    if (sent && !sent.has(key)) unexpected++;
  }
  return { expected: expected.size, stored: stored.length, missing: missingKeys.length, duplicated, unexpected, missingSample: missingKeys.slice(0, 5) };
}
