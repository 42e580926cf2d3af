import { CONTAINER_HEALTH, type ContainerEvent, type ContainerEventAction, type ContainerHealth } from '@dockpulse/protocol';

/** One entry of the engine's /events stream, as Docker and Podman's Docker-compatible API write it. */
export interface EngineEventMessage {
  Type?: string;
  /** `die`, `health_status: healthy`, `exec_start: sh -c …` … */
  Action?: string;
  /** The action under its pre-1.22 name, still sent beside `Action`. */
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  /** Seconds and nanoseconds since the epoch. */
  time?: number;
  timeNano?: number;
}

/** Engine actions by the name CONTRACT.md gives them; Podman says `remove` where Docker says `destroy`. */
const ACTIONS = new Map<string, ContainerEventAction>([
  ...(['create', 'start', 'die', 'oom', 'stop', 'kill', 'restart', 'pause', 'unpause', 'destroy', 'health_status'] as const).map((action) => [action, action] as const),
  ['remove', 'destroy'],
]);
const HEALTH = new Set<string>(CONTAINER_HEALTH);

/** The action's name and what follows its colon: `health_status: healthy` → [`health_status`, `healthy`]. */
export function engineAction(message: EngineEventMessage): [name: string, detail?: string] {
  const raw = message.Action ?? message.status ?? '';
  const colon = raw.indexOf(':');
  return colon < 0 ? [raw] : [raw.slice(0, colon), raw.slice(colon + 1).trim()];
}

/** The `container_events` item for an engine event, or undefined for actions CONTRACT.md does not list (exec_*, attach, rename …). */
export function toContainerEvent(message: EngineEventMessage): ContainerEvent | undefined {
  const containerId = message.Actor?.ID ?? message.id;
  const [name, detail] = engineAction(message);
  const action = ACTIONS.get(name);
  if ((message.Type ?? 'container') !== 'container' || !containerId || !action) return undefined;
  const event: ContainerEvent = { containerId, ts: eventTime(message), action };
  const attributes = message.Actor?.Attributes ?? {};
  if (action === 'die') {
    const exitCode = Number(attributes.exitCode ?? NaN);
    if (Number.isInteger(exitCode)) event.exitCode = exitCode;
  }
  if (action === 'health_status') {
    const health = detail || attributes.health_status;
    if (health && HEALTH.has(health)) event.health = health as ContainerHealth;
  }
  return event;
}

/** ISO 8601 to the millisecond from `timeNano` (or `time`); the time of reading when the engine gives neither. */
function eventTime(message: EngineEventMessage): string {
  const ms = message.timeNano ? Math.floor(message.timeNano / 1e6) : message.time ? message.time * 1000 : Date.now();
  return new Date(ms).toISOString();
}
