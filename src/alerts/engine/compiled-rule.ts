import type { LoadedRule } from '../alert-rule.js';
import { isContainerCondition } from '../alert-rule.js';
import { compileGlob } from '../rules/name-glob.js';

/** What a container or host is, as far as scopes are concerned. */
export interface SubjectFacts {
  hostId: string;
  name?: string | null;
  labels?: Record<string, string> | null;
}

/** A rule ready for the hot path: durations in milliseconds, its scope as predicates. */
export interface CompiledRule extends LoadedRule {
  forContainers: boolean;
  /** `for` of metric and offline conditions, `within` of log matches; 0 for events. */
  spanMs: number;
  /** Lower-cased `q` of a log match. */
  needle?: string;
  matches(subject: SubjectFacts): boolean;
}

export function compileRule(rule: LoadedRule): CompiledRule {
  const hostIds = rule.scope.hostIds?.length ? new Set(rule.scope.hostIds.map((id) => id.toLowerCase())) : undefined;
  const names = rule.scope.containerNames?.length ? rule.scope.containerNames.map(compileGlob) : undefined;
  const labels = rule.scope.labels ? Object.entries(rule.scope.labels) : [];
  const forContainers = isContainerCondition(rule.condition);
  return {
    ...rule,
    forContainers,
    spanMs: rule.windowMs ?? 0,
    needle: rule.condition.type === 'log_match' ? rule.condition.q.toLowerCase() : undefined,
    matches(subject) {
      if (hostIds && !hostIds.has(subject.hostId)) return false;
      if (!forContainers) return true;
      if (names && !names.some((glob) => glob.test(subject.name ?? ''))) return false;
      return labels.every(([key, value]) => subject.labels?.[key] === value);
    },
  };
}
