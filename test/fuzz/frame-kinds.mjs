// The agent frame kinds of CONTRACT.md and src/*/dto as field specs, and valid frames built from
// them. A spec says what the contract allows, so a mutation knows whether the frame must be refused.
import { INT4_MAX } from './hostile-values.mjs';

const count = { t: 'count' };
const int4 = { t: 'int4' };
const ts = { t: 'ts' };
/** A time that is not a row's stamp (startedAt …): any valid time, the 10-minute rule is for rows. */
const time = { t: 'time' };
const dockerId = { t: 'dockerId' };
const num = (min, max = Infinity) => ({ t: 'num', min, max });
const str = (max) => ({ t: 'str', max });
const oneOf = (...values) => ({ t: 'enum', values });
const optional = (spec) => ({ ...spec, optional: true });

export const EVENT_ACTIONS = ['create', 'start', 'die', 'oom', 'stop', 'kill', 'restart', 'pause', 'unpause', 'destroy', 'health_status'];
const HEALTH = ['healthy', 'unhealthy', 'starting'];

/** `top`: fields of the frame itself; `item`: fields of each `data` element. */
export const KINDS = {
  metrics: {
    item: {
      containerId: dockerId, ts, cpuPercent: num(0, 100_000), memoryUsed: count, memoryLimit: count,
      networkRx: count, networkTx: count, blockRead: count, blockWrite: count, pids: { t: 'int4count' },
    },
  },
  host_metrics: {
    item: {
      ts, cpuPercent: num(0, 100), load1: num(0), load5: num(0), load15: num(0), memoryUsed: count, memoryTotal: count,
      diskUsed: count, diskTotal: count, networkRx: count, networkTx: count,
    },
  },
  logs: { item: { containerId: dockerId, ts, stream: oneOf('stdout', 'stderr'), line: { t: 'line' }, n: optional(count) } },
  processes: {
    top: { ts },
    item: {
      pid: int4, ppid: int4, name: str(255), command: str(4096), user: str(255), cpuPercent: num(0, 100_000),
      memoryRss: count, memoryPercent: num(0, 100), threads: int4, state: str(32),
    },
  },
  containers: {
    item: {
      dockerId, name: str(255), image: str(1024), imageId: optional(str(255)), command: optional(str(8192)), state: str(32),
      status: optional(str(255)), ports: optional({ t: 'ports' }), labels: optional({ t: 'labels' }), startedAt: optional(time),
      health: optional(oneOf(...HEALTH)), exitCode: optional({ t: 'int' }), restartCount: optional(count), finishedAt: optional(time),
    },
  },
  hello: {
    top: {
      agentVersion: str(64), hostname: str(253), os: optional(str(255)), kernel: optional(str(255)),
      dockerVersion: optional(str(64)), cpus: optional({ t: 'int', min: 1, max: 65_536 }), memoryTotal: optional(count),
    },
  },
  command_result: { top: { commandId: { t: 'uuid' }, status: oneOf('succeeded', 'failed'), message: optional(str(4096)) } },
  container_events: {
    item: { containerId: dockerId, ts, action: oneOf(...EVENT_ACTIONS), exitCode: optional({ t: 'int' }), health: optional(oneOf(...HEALTH)) },
  },
};

export const KIND_NAMES = Object.keys(KINDS);

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Stamps this far ahead must be refused (the contract allows 10 minutes). */
const FUTURE_REFUSED_MS = 20 * 60_000;

/** A value as the server sees it after JSON.parse; deep raw values are `{deep: 'array'|'object'}`. */
export const DEEP = Symbol('deep');

/**
 * 'refuse' when the contract says a frame carrying `value` in a field of `spec` is refused, else
 * 'any' (accepted, cleaned or refused: the contract leaves it open). `MISSING` for an absent field.
 */
export function verdict(spec, value, now) {
  if (spec.lenient) return 'any';
  if (value === MISSING || value === null) return spec.optional ? 'any' : 'refuse';
  const deep = value?.[DEEP];
  if (deep) return (spec.t === 'ports' && deep === 'array') || (spec.t === 'labels' && deep === 'object') ? 'any' : 'refuse';
  const ok = (test) => (test ? 'any' : 'refuse');
  switch (spec.t) {
    case 'count':
      return ok(Number.isSafeInteger(value) && value >= 0);
    case 'int4':
    case 'int4count':
      return ok(Number.isInteger(value) && value >= 0 && value <= INT4_MAX);
    case 'int':
      return ok(Number.isInteger(value) && value >= (spec.min ?? -INT4_MAX - 1) && value <= (spec.max ?? INT4_MAX));
    case 'num':
      return ok(typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max);
    case 'str':
      return ok(typeof value === 'string' && [...value].length <= spec.max);
    case 'line':
      return ok(typeof value === 'string');
    case 'dockerId':
      return ok(typeof value === 'string' && /^(?:[0-9a-f]{12}|[0-9a-f]{64})$/.test(value));
    case 'uuid':
      return ok(typeof value === 'string' && UUID.test(value));
    case 'enum':
      return ok(spec.values.includes(value));
    case 'ports':
      return ok(Array.isArray(value));
    case 'labels':
      return ok(typeof value === 'object' && !Array.isArray(value));
    case 'ts':
      return timestampVerdict(value, now);
    case 'time':
      return timestampVerdict(value, Infinity);
    default:
      throw new Error(`no verdict for spec ${spec.t}`);
  }
}

export const MISSING = Symbol('missing');

function timestampVerdict(value, now) {
  let ms;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && ISO.test(value)) ms = Date.parse(value.replace(/\.(\d{3})\d*/, '.$1'));
  else return 'refuse';
  if (!Number.isFinite(ms)) return 'refuse';
  return ms > now + FUTURE_REFUSED_MS ? 'refuse' : 'any';
}

/** Timestamp spellings the contract accepts, for `ms`. */
export function timestampAs(rng, ms) {
  const iso = new Date(ms).toISOString();
  return rng.weighted([
    [3, ms],
    [2, iso],
    [1, `${iso.slice(0, 23)}${rng.int(0, 999_999).toString().padStart(6, '0')}Z`],
    [1, `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19)}.${iso.slice(20, 23)}+02:00`],
    [1, ms + rng.int(1, 999) / 1000],
  ]);
}

const PROCESS_NAMES = ['nginx', 'node', 'postgres', 'redis-server', 'sh', 'containerd-shim', 'java', 'python3'];

/** One valid `data` element (or the frame's own fields, for kinds without data) of `kind`. */
export function validItem(kind, rng, { containerId, ms, pid, dockerIdValue }) {
  const big = () => rng.int(0, 2 ** 40);
  switch (kind) {
    case 'metrics':
      return {
        containerId, ts: timestampAs(rng, ms), cpuPercent: rng.int(0, 40_000) / 100, memoryUsed: big(), memoryLimit: big(),
        networkRx: big(), networkTx: big(), blockRead: big(), blockWrite: big(), pids: rng.int(0, 4096),
      };
    case 'host_metrics':
      return {
        ts: timestampAs(rng, ms), cpuPercent: rng.int(0, 10_000) / 100, load1: rng.int(0, 800) / 100, load5: rng.int(0, 800) / 100,
        load15: rng.int(0, 800) / 100, memoryUsed: big(), memoryTotal: big(), diskUsed: big(), diskTotal: big(), networkRx: big(), networkTx: big(),
      };
    case 'logs':
      return { containerId, ts: timestampAs(rng, ms), stream: rng.pick(['stdout', 'stderr']), line: `GET /api/items/${rng.int(0, 1e6)} 200 ${rng.int(1, 900)}ms` };
    case 'processes': {
      const name = rng.pick(PROCESS_NAMES);
      return {
        pid, ppid: rng.int(0, pid), name, command: `/usr/bin/${name} --worker ${rng.int(1, 64)}`, user: rng.pick(['root', 'www-data', 'postgres']),
        cpuPercent: rng.int(0, 20_000) / 100, memoryRss: big(), memoryPercent: rng.int(0, 10_000) / 100, threads: rng.int(1, 256), state: rng.pick(['S', 'R', 'D', 'Z']),
      };
    }
    case 'containers': {
      const id = dockerIdValue ?? containerId;
      return {
        dockerId: id, name: `svc-${id.slice(0, 6)}`, image: rng.pick(['nginx:1.27', 'postgres:16', 'redis:7-alpine']),
        imageId: `sha256:${rng.hex(64)}`, command: 'docker-entrypoint.sh serve', state: rng.pick(['running', 'exited', 'paused']),
        status: 'Up 5 minutes', ports: [{ privatePort: 80, publicPort: rng.int(1024, 65_535), type: 'tcp' }],
        labels: { app: 'web', 'com.docker.compose.service': 'api' }, startedAt: new Date(ms).toISOString(),
      };
    }
    case 'container_events':
      return { containerId, ts: timestampAs(rng, ms), action: rng.pick(EVENT_ACTIONS) };
    default:
      throw new Error(`kind ${kind} has no data items`);
  }
}

/** A valid frame of `kind` (without seq) about `containers` (Docker ids) at times near `nowMs`. */
export function validFrame(kind, rng, { containers, nowMs, commandIds = [] }) {
  const recent = () => nowMs - rng.int(1_000, 25 * 60_000);
  if (kind === 'hello') {
    return { type: 'hello', agentVersion: `1.${rng.int(0, 9)}.${rng.int(0, 9)}`, hostname: `node-${rng.int(1, 99)}.local`, os: 'Debian GNU/Linux 12', kernel: '6.1.0-28-amd64', dockerVersion: '27.3.1', cpus: rng.int(1, 64), memoryTotal: rng.int(1, 2 ** 40) };
  }
  if (kind === 'command_result') {
    return { type: 'command_result', commandId: commandIds.length && rng.chance(0.5) ? rng.pick(commandIds) : randomUuid(rng), status: rng.pick(['succeeded', 'failed']), message: 'done' };
  }
  const length = rng.weighted([[6, 1], [3, rng.int(2, 5)], [1, rng.int(6, 40)]]);
  const firstPid = rng.int(1, 30_000);
  const data = [];
  for (let i = 0; i < length; i++) {
    // New containers now and then: a snapshot of the same host may be upserting at that moment.
    const containerId = kind === 'containers' || rng.chance(0.2) ? rng.hex(64) : rng.pick(containers);
    data.push(validItem(kind, rng, { containerId, ms: recent() + i, pid: firstPid + i }));
  }
  return kind === 'processes' ? { type: kind, ts: timestampAs(rng, recent()), data } : { type: kind, data };
}

export function randomUuid(rng) {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${rng.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
