import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_DOCKER_HOST, parseDockerHost, type DockerEndpoint } from './docker-endpoint.js';

export interface AgentConfig {
  server: string;
  enrollmentToken?: string;
  stateDir: string;
  /** From --docker-host, --docker-socket, DOCKER_HOST, or the default socket, in that order. */
  docker: DockerEndpoint;
  hostname: string;
  procDir: string;
  diskPath: string;
  metricsIntervalMs: number;
  hostMetricsIntervalMs: number;
  processesIntervalMs: number;
  inventoryIntervalMs: number;
  logsFlushMs: number;
  maxInFlight: number;
  spoolMaxFrames: number;
  spoolMaxBytes: number;
  /** Reconnect backoff bounds; not flags, tests shorten them. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How long a connection must last before the backoff starts again from its minimum. */
  stableAfterMs: number;
  verbose: boolean;
}

export class ConfigError extends Error {}

type Kind = 'string' | 'duration' | 'int';
interface Option {
  key: keyof AgentConfig;
  env: string;
  kind: Kind;
  fallback?: string;
  help: string;
}

/** Every flag also reads DOCKPULSE_<FLAG> from the environment; the flag wins. */
const OPTIONS: Record<string, Option> = {
  server: { key: 'server', env: 'DOCKPULSE_SERVER', kind: 'string', help: 'DockPulse base URL, e.g. https://dockpulse.example.com (required)' },
  'enrollment-token': { key: 'enrollmentToken', env: 'DOCKPULSE_ENROLLMENT_TOKEN', kind: 'string', help: 'one-time token from "add host"; only needed for the first start' },
  'state-dir': { key: 'stateDir', env: 'DOCKPULSE_STATE_DIR', kind: 'string', fallback: './dockpulse-agent-state', help: 'where the agent token and the unsent-frame spool live' },
  'docker-host': { key: 'docker', env: 'DOCKPULSE_DOCKER_HOST', kind: 'string', help: `Docker Engine: unix:///path.sock or tcp://host:port (default DOCKER_HOST, else ${DEFAULT_DOCKER_HOST}); containers are skipped when the socket is absent` },
  'docker-socket': { key: 'docker', env: 'DOCKPULSE_DOCKER_SOCKET', kind: 'string', help: 'Docker Engine socket path (the same as --docker-host unix://<path>)' },
  hostname: { key: 'hostname', env: 'DOCKPULSE_HOSTNAME', kind: 'string', fallback: hostname(), help: 'name reported for this host' },
  'proc-dir': { key: 'procDir', env: 'DOCKPULSE_PROC_DIR', kind: 'string', fallback: '/proc', help: "the host's /proc (mount it, e.g. at /host/proc, when the agent runs in a container)" },
  'disk-path': { key: 'diskPath', env: 'DOCKPULSE_DISK_PATH', kind: 'string', fallback: '/', help: 'filesystem whose usage is reported as disk' },
  'metrics-interval': { key: 'metricsIntervalMs', env: 'DOCKPULSE_METRICS_INTERVAL', kind: 'duration', fallback: '5s', help: 'container stats' },
  'host-metrics-interval': { key: 'hostMetricsIntervalMs', env: 'DOCKPULSE_HOST_METRICS_INTERVAL', kind: 'duration', fallback: '5s', help: 'host CPU, memory, disk, network' },
  'processes-interval': { key: 'processesIntervalMs', env: 'DOCKPULSE_PROCESSES_INTERVAL', kind: 'duration', fallback: '15s', help: 'process snapshots' },
  'inventory-interval': { key: 'inventoryIntervalMs', env: 'DOCKPULSE_INVENTORY_INTERVAL', kind: 'duration', fallback: '60s', help: 'full container inventory (Docker events refresh it sooner)' },
  'logs-flush-interval': { key: 'logsFlushMs', env: 'DOCKPULSE_LOGS_FLUSH_INTERVAL', kind: 'duration', fallback: '1s', help: 'how long log lines and container events are batched' },
  'max-in-flight': { key: 'maxInFlight', env: 'DOCKPULSE_MAX_IN_FLIGHT', kind: 'int', fallback: '32', help: 'frames sent but not yet acknowledged' },
  'spool-max-frames': { key: 'spoolMaxFrames', env: 'DOCKPULSE_SPOOL_MAX_FRAMES', kind: 'int', fallback: '10000', help: 'unacknowledged frames kept on disk; the oldest go first' },
  'spool-max-mb': { key: 'spoolMaxBytes', env: 'DOCKPULSE_SPOOL_MAX_MB', kind: 'int', fallback: '100', help: 'spool size bound in MiB' },
};

export const HELP = `dockpulse-agent: streams this Docker host's telemetry to a DockPulse server.

Usage: dockpulse-agent --server <url> [--enrollment-token <token>] [options]

${Object.entries(OPTIONS)
  .map(([flag, o]) => `  --${flag.padEnd(22)} ${o.help}${o.fallback && o.key !== 'hostname' ? ` (default ${o.fallback})` : ''}\n  ${''.padEnd(24)} env ${o.env}`)
  .join('\n')}
  --verbose                debug output (env DOCKPULSE_VERBOSE=1)
  --help                   this text

The first start enrolls with the enrollment token and keeps the agent token in <state-dir>/agent.json;
later starts reuse it. Durations: 500ms, 5s, 1m, or plain seconds.`;

/** Parses `5s`, `200ms`, `1m`, `1h` or plain seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  const ms = Math.round(Number(match[1]) * unit);
  return ms > 0 ? ms : undefined;
}

/** The configuration from flags and environment, or 'help'; throws ConfigError naming the bad value. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): AgentConfig | 'help' {
  const options = Object.fromEntries(Object.keys(OPTIONS).map((flag) => [flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) return 'help';
  const config: Record<string, unknown> = {
    reconnectMinMs: 1000,
    reconnectMaxMs: 60_000,
    stableAfterMs: 30_000,
    verbose: values.verbose === true || env.DOCKPULSE_VERBOSE === '1',
  };
  for (const [flag, option] of Object.entries(OPTIONS)) {
    const raw = (values[flag] as string | undefined) ?? env[option.env] ?? option.fallback;
    if (raw === undefined || raw === '') continue;
    config[option.key] = convert(flag, option, raw);
  }
  if (!config.server) throw new ConfigError('--server (or DOCKPULSE_SERVER) is required');
  config.docker = dockerEndpoint(values, env);
  config.spoolMaxBytes = (config.spoolMaxBytes as number) * 1024 * 1024;
  return config as unknown as AgentConfig;
}

/** --docker-host and --docker-socket name the same thing: one of them (flag or env), else DOCKER_HOST. */
function dockerEndpoint(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): DockerEndpoint {
  const given = (['docker-host', 'docker-socket'] as const)
    .map((flag) => ({ flag, raw: (values[flag] as string | undefined) ?? env[OPTIONS[flag].env] }))
    .filter((option) => option.raw);
  if (given.length > 1) throw new ConfigError('--docker-host and --docker-socket name the same thing: give one of them');
  const [chosen] = given;
  const raw = chosen?.raw ?? (env.DOCKER_HOST || DEFAULT_DOCKER_HOST);
  const flag = chosen ? `--${chosen.flag}` : env.DOCKER_HOST ? 'DOCKER_HOST' : '--docker-host';
  if (chosen?.flag === 'docker-socket' && !raw.startsWith('/')) throw new ConfigError(`--docker-socket: "${raw}" is not an absolute path`);
  try {
    return parseDockerHost(raw, env);
  } catch (error) {
    throw new ConfigError(`${flag}: ${(error as Error).message}`);
  }
}

function convert(flag: string, option: Option, raw: string): string | number {
  if (option.kind === 'duration') {
    const ms = parseDuration(raw);
    if (ms === undefined) throw new ConfigError(`--${flag}: "${raw}" is not a duration (e.g. 500ms, 5s, 1m)`);
    return ms;
  }
  if (option.kind === 'int') {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`--${flag}: "${raw}" is not a positive integer`);
    return n;
  }
  if (option.key === 'server') {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`--server: "${raw}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('--server must be an http:// or https:// URL');
    return url.toString().replace(/\/+$/, '');
  }
  return raw;
}
