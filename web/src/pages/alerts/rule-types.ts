import type { Severity } from './types';

export const CONTAINER_METRICS = ['cpuPercent', 'memoryPercent', 'memoryUsed', 'networkRxRate', 'networkTxRate', 'blockReadRate', 'blockWriteRate'] as const;
export const HOST_METRICS = ['cpuPercent', 'memoryPercent', 'diskPercent', 'load1', 'load5', 'load15', 'networkRxRate', 'networkTxRate'] as const;
export const CONTAINER_EVENTS = ['died', 'oom_killed', 'unhealthy', 'restart_loop'] as const;
export const CONDITION_TYPES = ['container_metric', 'host_metric', 'container_event', 'host_offline', 'log_match'] as const;

export type ConditionType = (typeof CONDITION_TYPES)[number];
export type Condition =
  | { type: 'container_metric' | 'host_metric'; metric: string; op: '>' | '<'; threshold: number; for: string }
  | { type: 'container_event'; events: string[] }
  | { type: 'host_offline'; for: string }
  | { type: 'log_match'; q: string; stream?: 'stdout' | 'stderr'; count: number; within: string };

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  severity: Severity;
  scope: { hostIds?: string[]; containerNames?: string[]; labels?: Record<string, string> };
  condition: Condition;
  channelIds: string[];
  repeatEvery: string | null;
  notifyResolved: boolean;
}

export type RuleInput = Omit<Rule, 'id'>;

export function defaultCondition(type: ConditionType): Condition {
  switch (type) {
    case 'container_metric':
      return { type, metric: 'cpuPercent', op: '>', threshold: 90, for: '5m' };
    case 'host_metric':
      return { type, metric: 'cpuPercent', op: '>', threshold: 90, for: '5m' };
    case 'container_event':
      return { type, events: ['died', 'oom_killed'] };
    case 'host_offline':
      return { type, for: '2m' };
    case 'log_match':
      return { type, q: 'error', count: 5, within: '10m' };
  }
}

export function describeCondition(c: Condition): string {
  switch (c.type) {
    case 'container_metric':
    case 'host_metric':
      return `${c.type === 'host_metric' ? 'host' : 'container'} ${c.metric} ${c.op} ${c.threshold} for ${c.for}`;
    case 'container_event':
      return `container ${c.events.join(', ')}`;
    case 'host_offline':
      return `host offline for ${c.for}`;
    case 'log_match':
      return `${c.count}× “${c.q}”${c.stream ? ` on ${c.stream}` : ''} within ${c.within}`;
  }
}
