// Valid frames with known content, sent between the hostile ones: each acknowledged one must be
// readable back exactly (every row, every value), and one answered "resend later" must have stored
// nothing. Their timestamps come from one ledger, in a window no mutated frame writes to.
import { must } from './http-client.mjs';

/** Clean text (no NUL, no lone surrogate) that is still unusual; names get the printable part. */
const PRINTABLE_TEXTS = ['plain text', 'émoji 🐳 ok', '中文日志 行', 'quotes "\' \\ `', '100% _like_ \\escape', 'Z̸̡a̴l̷g̶o', '{"json": [1, 2]}', '<script>alert(1)</script>'];
const CLEAN_TEXTS = [...PRINTABLE_TEXTS, 'tab\tseparated', 'line\u2028separator', ' padded '];
const iso = (ms) => new Date(ms).toISOString();

/** Deep equality where object key order does not matter; returns where they first differ. */
export function difference(expected, actual, path = '') {
  if (expected === actual) return undefined;
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null || Array.isArray(expected) !== Array.isArray(actual)) {
    return `${path || 'value'}: expected ${JSON.stringify(expected)?.slice(0, 120)}, got ${JSON.stringify(actual)?.slice(0, 120)}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of keys) {
    const found = difference(expected[key], actual[key], `${path}${Array.isArray(expected) ? `[${key}]` : `.${key}`}`);
    if (found) return found;
  }
  return undefined;
}

export class ControlLedger {
  /** ms of every minute an unsettled frame (no answer, `internal`) may have written to, per series. */
  uncertain = new Set();
  /** Samples per series and minute from acknowledged metrics frames. */
  perMinute = new Map();
  #next = 0;

  constructor(nowMs) {
    this.base = Math.floor((nowMs - 50 * 60_000) / 60_000) * 60_000;
  }

  /** `count` fresh millisecond stamps, never handed out before. */
  take(count) {
    const first = this.base + this.#next;
    this.#next += count + 1;
    return Array.from({ length: count }, (_, i) => first + i);
  }

  get end() {
    return this.base + this.#next;
  }

  record(series, ms, outcome, sample) {
    const minute = Math.floor(ms / 60_000) * 60_000;
    const key = `${series} ${minute}`;
    if (outcome === 'unknown') return void this.uncertain.add(key);
    if (outcome !== 'stored') return;
    const bucket = this.perMinute.get(key) ?? { series, minute, samples: 0, cpuMax: -Infinity, memoryMax: -Infinity };
    bucket.samples++;
    bucket.cpuMax = Math.max(bucket.cpuMax, sample.cpuPercent);
    bucket.memoryMax = Math.max(bucket.memoryMax, sample.memoryUsed);
    this.perMinute.set(key, bucket);
  }
}

/**
 * A control frame of `kind` for `host` (`{hostId, pool: [{dockerId, apiId}], token}`): the frame,
 * `verify(stored)` that reads it back through the API (stored: whether it must be there or must
 * not), and the samples it adds to the per-minute ledger.
 */
export function controlFrame(kind, rng, { host, ledger, api, commandId }) {
  // Cut by code points: cutting a surrogate pair would make the text unclean.
  const text = (max = 200) => [...rng.pick(CLEAN_TEXTS)].slice(0, max).join('');
  const name = (max) => [...rng.pick(PRINTABLE_TEXTS)].slice(0, max).join('');
  switch (kind) {
    case 'metrics': {
      const containers = rng.sample(host.pool, rng.int(1, host.pool.length));
      const stamps = ledger.take(rng.int(1, 6));
      const data = [];
      for (const ms of stamps) for (const c of containers) data.push({ containerId: rng.chance(0.2) ? c.dockerId.slice(0, 12) : c.dockerId, ...metricValues(rng), ts: exactMs(rng, ms), ms, c });
      return {
        frame: { type: 'metrics', data: data.map(({ ms, c, ...item }) => item) },
        samples: data.map(({ ms, c, ...item }) => ({ series: c.apiId, ms, sample: item })),
        verify: (stored) => Promise.all(containers.map(async (c) => {
          const rows = data.filter((d) => d.c === c);
          const expected = stored ? rows.map(({ ms, c: _, containerId, ts, ...values }) => ({ ts: iso(ms), ...values })).sort(byTsDesc) : [];
          const actual = await api('GET', `/api/containers/${c.apiId}/metrics?from=${iso(stamps[0])}&to=${iso(stamps.at(-1) + 1)}&limit=5000`);
          return difference(expected, actual, `metrics of ${c.dockerId.slice(0, 12)}`);
        })),
      };
    }
    case 'host_metrics': {
      const stamps = ledger.take(rng.int(1, 5));
      const items = stamps.map((ms) => ({ ms, ts: exactMs(rng, ms), cpuPercent: rng.int(0, 10_000) / 100, load1: rng.int(0, 900) / 100, load5: rng.int(0, 900) / 100, load15: rng.int(0, 900) / 100, memoryUsed: big(rng), memoryTotal: big(rng), diskUsed: big(rng), diskTotal: big(rng), networkRx: big(rng), networkTx: big(rng) }));
      return {
        frame: { type: 'host_metrics', data: items.map(({ ms, ...item }) => item) },
        samples: items.map(({ ms, ...item }) => ({ series: host.hostId, ms, sample: item })),
        verify: async (stored) => {
          const expected = stored ? items.map(({ ms, ts, ...values }) => ({ ts: iso(ms), ...values })).sort(byTsDesc) : [];
          const actual = await api('GET', `/api/hosts/${host.hostId}/metrics?from=${iso(stamps[0])}&to=${iso(stamps.at(-1) + 1)}&limit=5000`);
          return [difference(expected, actual, 'host metrics')];
        },
      };
    }
    case 'logs': {
      const c = rng.pick(host.pool);
      const stamps = ledger.take(rng.int(1, 8));
      const lines = stamps.map((ms) => {
        const ts = `${iso(ms).slice(0, 23)}${rng.int(0, 999_999).toString().padStart(6, '0')}Z`;
        const line = rng.chance(0.05) ? 'long '.repeat(rng.int(200, 3000)) : `${text()} #${rng.int(0, 1e9)}`;
        return { containerId: c.dockerId, ts, stream: rng.pick(['stdout', 'stderr']), line };
      });
      return {
        frame: { type: 'logs', data: lines },
        samples: [],
        verify: async (stored) => {
          const expected = stored ? lines.map(({ ts, stream, line }) => ({ ts, stream, line, truncated: false })).sort(byTsDesc) : [];
          const page = await api('GET', `/api/containers/${c.apiId}/logs?from=${iso(stamps[0])}&to=${iso(stamps.at(-1) + 1)}&limit=1000`);
          return [difference(expected, page.items, `logs of ${c.dockerId.slice(0, 12)}`)];
        },
      };
    }
    case 'processes': {
      const [ms] = ledger.take(1);
      const firstPid = rng.int(1, 4_000_000);
      const processes = Array.from({ length: rng.int(1, 25) }, (_, i) => ({
        pid: firstPid + i, ppid: rng.int(0, 2 ** 31 - 1), name: name(255), command: `${text(4000)} --flag=${i}`, user: rng.pick(['root', 'www-data', 'ünïcode']),
        cpuPercent: rng.int(0, 40_000) / 100, memoryRss: big(rng), memoryPercent: rng.int(0, 10_000) / 100, threads: rng.int(1, 10_000), state: rng.pick(['S', 'R', 'D (disk sleep)']),
      }));
      return {
        frame: { type: 'processes', ts: exactMs(rng, ms), data: processes },
        samples: [],
        verify: async (stored) => {
          const snapshot = await api('GET', `/api/hosts/${host.hostId}/processes?at=${iso(ms)}`);
          if (!stored) return [snapshot.ts === iso(ms) ? `processes at ${iso(ms)} stored although the frame was not acknowledged` : undefined];
          return [difference({ ts: iso(ms), processes: [...processes].sort(byPid) }, { ts: snapshot.ts, processes: [...snapshot.processes].sort(byPid) }, 'processes')];
        },
      };
    }
    case 'containers': {
      const extras = Array.from({ length: rng.int(0, 3) }, () => ({ dockerId: rng.hex(64) }));
      const [ms] = ledger.take(1);
      const items = [...host.pool, ...extras].map(({ dockerId }) => ({
        dockerId, name: `ctl-${dockerId.slice(0, 8)}-${name(100)}`, image: rng.pick(['nginx:1.27', 'registry.example:5000/team/app@sha256:' + rng.hex(64)]),
        imageId: `sha256:${rng.hex(64)}`, command: text(8000), state: rng.pick(['running', 'exited', 'paused', 'restarting']), status: text(255),
        ports: [{ privatePort: rng.int(1, 65_535), publicPort: rng.int(1, 65_535), type: rng.pick(['tcp', 'udp']), ip: '0.0.0.0' }],
        labels: { app: text(50), 'com.docker.compose.project': 'fuzz', 'ünï.cøde': '✓' }, startedAt: iso(ms - rng.int(0, 1e8)),
      }));
      const previous = host.lastExtras ?? [];
      host.lastExtras = extras.map((e) => e.dockerId);
      return {
        frame: { type: 'containers', data: items },
        samples: [],
        verify: async (stored) => {
          const list = await api('GET', `/api/hosts/${host.hostId}/containers`);
          const byId = new Map(list.map((c) => [c.dockerId, c]));
          if (!stored) return [];
          const found = items.map(({ dockerId, ...fields }) => difference({ dockerId, removed: false, ...fields }, pick(byId.get(dockerId), ['dockerId', 'removed', ...Object.keys(fields)]), `container ${dockerId.slice(0, 12)}`));
          const gone = previous.filter((id) => !host.lastExtras.includes(id) && byId.get(id)?.removed !== true).map((id) => `container ${id.slice(0, 12)} missing from the snapshot is not marked removed`);
          return [...found, ...gone];
        },
      };
    }
    case 'hello': {
      const hello = { agentVersion: `ctl-${rng.int(0, 1e6)}`, hostname: `${name(60).replace(/\s/g, '')}.local`, os: text(255), kernel: `6.${rng.int(0, 20)}.0`, dockerVersion: '27.3.1', cpus: rng.int(1, 65_536), memoryTotal: big(rng) };
      return {
        frame: { type: 'hello', ...hello },
        samples: [],
        verify: async (stored) => (stored ? [difference(hello, pick(await api('GET', `/api/hosts/${host.hostId}`), Object.keys(hello)), 'host details')] : []),
      };
    }
    case 'command_result': {
      const result = { commandId, status: rng.pick(['succeeded', 'failed']), message: text(4096) };
      return {
        frame: { type: 'command_result', ...result },
        samples: [],
        verify: async (stored) => {
          const command = await api('GET', `/api/commands/${commandId}`);
          return stored ? [difference({ status: result.status, message: result.message }, pick(command, ['status', 'message']), 'command')] : [];
        },
      };
    }
  }
  throw new Error(`no control frame for ${kind}`);
}

function metricValues(rng) {
  return { cpuPercent: rng.int(0, 80_000) / 100, memoryUsed: big(rng), memoryLimit: big(rng), networkRx: big(rng), networkTx: big(rng), blockRead: big(rng), blockWrite: big(rng), pids: rng.int(0, 2 ** 31 - 1) };
}

/** Spellings of `ms` that keep exactly `ms` (the column keeps milliseconds). */
const exactMs = (rng, ms) => rng.pick([ms, iso(ms), `${new Date(ms - 5_400_000).toISOString().slice(0, 23)}-01:30`]);
const big = (rng) => rng.weighted([[3, rng.int(0, 2 ** 32)], [1, rng.int(0, 2 ** 53 - 1)]]);
const byTsDesc = (a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0);
const byPid = (a, b) => a.pid - b.pid;
const pick = (object, keys) => (object ? Object.fromEntries(keys.map((key) => [key, object[key]])) : object);

/** A GET through the read API as `token`, throwing on anything but 2xx. */
export const readApi = (baseUrl, token) => (method, path) => must(baseUrl, method, path, { token, timeoutMs: 60_000 });
