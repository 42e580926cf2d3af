/**
 * The agent's side of CONTRACT.md ("Agent WebSocket"), written from the contract alone: the agent
 * is a separate program and must not depend on the server's modules.
 */
export interface Limits {
  maxPayloadBytes: number;
  maxItems: number;
}

/** What CONTRACT.md's server advertises; used until the first `welcome` says otherwise. */
export const DEFAULT_LIMITS: Limits = { maxPayloadBytes: 1024 * 1024, maxItems: 5000 };

export interface WelcomeFrame {
  type: 'welcome';
  hostId: string;
  serverTime: string;
  limits: Limits;
}

export interface AckFrame {
  type: 'ack';
  seq: number;
}

export interface FieldError {
  path: string;
  message: string;
}

export interface ErrorFrame {
  type: 'error';
  seq: number | null;
  code: string;
  message: string;
  details?: FieldError[];
  retryAfterMs?: number;
}

export interface CommandFrame {
  type: 'command';
  commandId: string;
  action: string;
  containerId: string;
  timeoutMs: number;
}

export type ServerFrame = WelcomeFrame | AckFrame | ErrorFrame | CommandFrame;
export type Answer = AckFrame | ErrorFrame;

/** Nothing was stored; the server asks to resend after `retryAfterMs`. */
export const RETRYABLE_CODES = new Set(['overloaded', 'rate_limited', 'unavailable']);
/** The frame itself is wrong: resending the same bytes can only be refused again. */
export const PERMANENT_CODES = new Set(['invalid_json', 'invalid_message', 'unknown_type', 'too_many_items']);

export type DataFrameType = 'metrics' | 'host_metrics' | 'logs' | 'containers' | 'processes' | 'command_result';

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
  containerId: string;
  ts: string;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export interface HostMetric {
  ts: string;
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
  /** RFC 3339 with up to nanoseconds, exactly as Docker wrote it. */
  ts: string;
  stream: 'stdout' | 'stderr';
  line: string;
  /** Ordinal among this container's and stream's lines with the same `ts` (engines that stamp to the second). */
  n?: number;
}

export interface ContainerObject {
  dockerId: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: string;
  status: string;
  ports: { ip?: string; privatePort: number; publicPort?: number; type: string }[];
  labels: Record<string, string>;
  startedAt?: string;
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
