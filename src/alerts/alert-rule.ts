/** The rule model of CONTRACT.md ("Alerts"), shared by the rules API, the evaluator and the outbox. */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONTAINER_METRICS = ['cpuPercent', 'memoryPercent', 'memoryUsed', 'networkRxRate', 'networkTxRate', 'blockReadRate', 'blockWriteRate'] as const;
export type ContainerMetricName = (typeof CONTAINER_METRICS)[number];

export const HOST_METRICS = ['cpuPercent', 'memoryPercent', 'diskPercent', 'load1', 'load5', 'load15', 'networkRxRate', 'networkTxRate'] as const;
export type HostMetricName = (typeof HOST_METRICS)[number];

export const CONTAINER_EVENT_CONDITIONS = ['died', 'oom_killed', 'unhealthy', 'restart_loop'] as const;
export type ContainerEventCondition = (typeof CONTAINER_EVENT_CONDITIONS)[number];

export const CONDITION_TYPES = ['container_metric', 'host_metric', 'container_event', 'host_offline', 'log_match'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export type ThresholdOp = '>' | '<';

/** Durations are kept as written (`5m`) in the API and stored rule; LoadedRule carries them in milliseconds. */
export type AlertCondition =
  | { type: 'container_metric'; metric: ContainerMetricName; op: ThresholdOp; threshold: number; for: string }
  | { type: 'host_metric'; metric: HostMetricName; op: ThresholdOp; threshold: number; for: string }
  | { type: 'container_event'; events: ContainerEventCondition[] }
  | { type: 'host_offline'; for: string }
  | { type: 'log_match'; q: string; stream?: 'stdout' | 'stderr'; count: number; within: string };

export interface AlertScope {
  hostIds?: string[];
  /** Globs: `*` any run of characters, `?` one character. */
  containerNames?: string[];
  /** Exact matches, all of them. */
  labels?: Record<string, string>;
}

/** A rule as the API shows it. */
export interface AlertRuleView {
  id: string;
  name: string;
  enabled: boolean;
  severity: Severity;
  scope: AlertScope;
  condition: AlertCondition;
  channelIds: string[];
  repeatEvery: string | null;
  notifyResolved: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A rule as the evaluator holds it: the view plus its organization and parsed durations. */
export interface LoadedRule extends AlertRuleView {
  organizationId: string;
  repeatEveryMs: number | null;
  /** The condition's `for` or `within` in milliseconds; null for container_event. */
  windowMs: number | null;
}

/** Whether a rule's subjects are containers (else hosts). */
export const isContainerCondition = (condition: AlertCondition) =>
  condition.type === 'container_metric' || condition.type === 'container_event' || condition.type === 'log_match';
