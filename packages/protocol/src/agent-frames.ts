/** ISO 8601 string (logs may carry nanoseconds) or epoch milliseconds. */
export type Timestamp = string | number;

export interface HelloBody {
  agentVersion: string;
  hostname: string;
  os?: string;
  kernel?: string;
  dockerVersion?: string;
  cpus?: number;
  memoryTotal?: number;
}

export interface ContainerMetric {
  /** The Docker id, full (64 hex) or short (12 hex); the same in logs and events. */
  containerId: string;
  ts: Timestamp;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  /** Counters are cumulative, as the engine reports them. */
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export interface HostMetric {
  ts: Timestamp;
  cpuPercent: number;
  load1: number;
  load5: number;
  load15: number;
  memoryUsed: number;
  memoryTotal: number;
  diskUsed: number;
  diskTotal: number;
  networkRx: number;
  networkTx: number;
}

export interface LogLine {
  containerId: string;
  ts: Timestamp;
  stream: 'stdout' | 'stderr';
  line: string;
  /** Ordinal among this container's and stream's lines with the same `ts` (engines that stamp to the second). */
  n?: number;
}

export interface ContainerPort {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  type: string;
}

export const CONTAINER_HEALTH = ['healthy', 'unhealthy', 'starting'] as const;
export type ContainerHealth = (typeof CONTAINER_HEALTH)[number];

export interface ContainerObject {
  dockerId: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: string;
  status: string;
  ports: ContainerPort[];
  labels: Record<string, string>;
  startedAt?: Timestamp;
  health?: ContainerHealth;
  exitCode?: number;
  restartCount?: number;
  finishedAt?: Timestamp;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  name: string;
  command: string;
  user: string;
  cpuPercent: number;
  memoryRss: number;
  memoryPercent: number;
  threads: number;
  state: string;
}

export interface CommandResult {
  commandId: string;
  status: 'succeeded' | 'failed';
  message: string;
}

export const CONTAINER_EVENT_ACTIONS = ['create', 'start', 'die', 'oom', 'stop', 'kill', 'restart', 'pause', 'unpause', 'destroy', 'health_status'] as const;
export type ContainerEventAction = (typeof CONTAINER_EVENT_ACTIONS)[number];

export interface ContainerEvent {
  containerId: string;
  ts: Timestamp;
  action: ContainerEventAction;
  /** With `die`. */
  exitCode?: number;
  /** With `health_status`. */
  health?: ContainerHealth;
}

/** The body of every agent → server frame, by type (besides `type` and `seq`). */
export interface AgentFrameBodies {
  hello: HelloBody;
  metrics: { data: ContainerMetric[] };
  host_metrics: { data: HostMetric[] };
  logs: { data: LogLine[] };
  /** A full snapshot: known containers missing from it are marked removed. */
  containers: { data: ContainerObject[] };
  processes: { ts: Timestamp; data: ProcessInfo[] };
  command_result: CommandResult;
  container_events: { data: ContainerEvent[] };
}
export type AgentFrameType = keyof AgentFrameBodies;
export type AgentFrame<T extends AgentFrameType = AgentFrameType> = { [K in T]: { type: K; seq: number } & AgentFrameBodies[K] }[T];

// A record so that a type added above without being listed here fails to compile.
const FRAME_TYPES: Record<AgentFrameType, true> = { hello: true, metrics: true, host_metrics: true, logs: true, containers: true, processes: true, command_result: true, container_events: true };
export const AGENT_FRAME_TYPES = Object.keys(FRAME_TYPES) as readonly AgentFrameType[];
