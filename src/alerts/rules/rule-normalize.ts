import type { AlertCondition, AlertScope } from '../alert-rule.js';
import type { ConditionDto } from './dto/condition.dto.js';
import type { AlertScopeDto } from './dto/scope.dto.js';

/** The condition as stored and shown: the fields of its type, in a fixed order. */
export function toCondition(dto: ConditionDto): AlertCondition {
  switch (dto.type) {
    case 'container_metric':
    case 'host_metric':
      return { type: dto.type, metric: dto.metric, op: dto.op, threshold: dto.threshold, for: dto.for } as AlertCondition;
    case 'container_event':
      return { type: dto.type, events: [...dto.events] };
    case 'host_offline':
      return { type: dto.type, for: dto.for };
    case 'log_match':
      return { type: dto.type, q: dto.q, ...(dto.stream !== undefined && { stream: dto.stream }), count: dto.count, within: dto.within };
  }
}

/**
 * The scope as stored and shown: only the fields that narrow something (an empty list would otherwise
 * match nothing, which nobody means); ids lower-cased as the database prints them.
 */
export function toScope(dto: AlertScopeDto | undefined): AlertScope {
  if (!dto) return {};
  return {
    ...(dto.hostIds?.length && { hostIds: dto.hostIds.map((id) => id.toLowerCase()) }),
    ...(dto.containerNames?.length && { containerNames: [...dto.containerNames] }),
    ...(dto.labels && Object.keys(dto.labels).length && { labels: { ...dto.labels } }),
  };
}
