import type { ContainerEvent, ContainerEventAction, ContainerHealth, ContainerMetric, ContainerObject } from '@dockpulse/protocol';
import { createHash } from 'node:crypto';
import { between, dockerId, pick } from './random.js';
import { SERVICES, type ServiceTemplate } from './service-catalog.js';

const PROJECTS = ['shop', 'billing', 'search', 'auth', 'media', 'reports'];

/** Incidents a test or an operator of the simulator asked for (see incidents.ts). */
export interface Faults {
  /** `looping`: dies with exit code 1 each round it runs and is restarted the next; `recovering`: restarted once more, then left running. */
  crashLoop?: 'looping' | 'recovering';
  /** Rounds its memory has been climbing towards its limit; it is OOM-killed the round after reaching it. */
  oomRounds?: number;
  /** Its healthcheck fails: the next check makes it unhealthy. */
  failingHealthcheck?: boolean;
}

/** One simulated container: what `docker ps` shows plus the state its stats random-walk from. */
export interface SimContainer extends Omit<ContainerMetric, 'containerId' | 'ts'> {
  object: ContainerObject;
  template: ServiceTemplate;
  faults: Faults;
}

const HEALTH_SUFFIX: Record<ContainerHealth, string> = { healthy: ' (healthy)', unhealthy: ' (unhealthy)', starting: ' (health: starting)' };

/** `Up 3 hours (healthy)`, as Docker words a running container's status. */
export function upFor(startedAt: number, health: ContainerHealth | undefined): string {
  const minutes = Math.round((Date.now() - startedAt) / 60_000);
  const suffix = health ? HEALTH_SUFFIX[health] : '';
  if (minutes < 1) return `Up Less than a second${suffix}`;
  if (minutes < 60) return `Up ${minutes} minutes${suffix}`;
  if (minutes < 48 * 60) return `Up ${Math.round(minutes / 60)} hours${suffix}`;
  return `Up ${Math.round(minutes / 1440)} days${suffix}`;
}

/** `count` containers of a compose project, cycling through the service catalogue. */
export function fakeInventory(count: number): SimContainer[] {
  const project = pick(PROJECTS);
  const offset = Math.floor(Math.random() * SERVICES.length);
  return Array.from({ length: count }, (_, i) => {
    const template = SERVICES[(offset + i) % SERVICES.length];
    const replica = Math.floor(i / SERVICES.length) + 1;
    const startedAt = Date.now() - Math.floor(between(10 * 60_000, 3 * 86_400_000));
    const object: ContainerObject = {
      dockerId: dockerId(),
      name: `${project}-${template.service}-${replica}`,
      image: template.image,
      imageId: `sha256:${createHash('sha256').update(template.image).digest('hex')}`,
      command: template.command,
      state: 'running',
      status: upFor(startedAt, template.healthcheck ? 'healthy' : undefined),
      // Only the first replica can own a published port, as on a real host.
      ports: template.ports.map((port) => (replica === 1 ? port : { privatePort: port.privatePort, type: port.type })),
      labels: {
        'com.docker.compose.project': project,
        'com.docker.compose.service': template.service,
        'com.docker.compose.container-number': String(replica),
        'org.opencontainers.image.version': template.image.split(':')[1] ?? 'latest',
      },
      startedAt: new Date(startedAt).toISOString(),
      exitCode: 0,
      restartCount: 0,
      ...(template.healthcheck ? { health: 'healthy' as const } : {}),
    };
    return {
      object,
      template,
      faults: {},
      cpuPercent: template.cpu,
      memoryUsed: template.memory,
      memoryLimit: pick([512, 1024, 2048]) * 1024 * 1024,
      networkRx: Math.floor(between(1e6, 1e9)),
      networkTx: Math.floor(between(1e6, 1e9)),
      blockRead: Math.floor(between(1e6, 1e8)),
      blockWrite: Math.floor(between(1e6, 1e8)),
      pids: template.processes.length + Math.floor(between(0, 8)),
    };
  });
}

/** The engine's events for each command, in Docker's order, for a container that was running and for one that was not. */
const COMMAND_EVENTS: Record<string, { running: ContainerEventAction[]; stopped: ContainerEventAction[] }> = {
  stop: { running: ['kill', 'die', 'stop'], stopped: [] },
  start: { running: [], stopped: ['start'] },
  restart: { running: ['kill', 'die', 'stop', 'start', 'restart'], stopped: ['start', 'restart'] },
};

/**
 * Applies a start/stop/restart command the way Docker would change what `docker ps` and inspect
 * report, and returns the container events Docker would announce, stamped by `clock`.
 */
export function applyAction(container: SimContainer, action: string, clock: () => number): ContainerEvent[] {
  const plan = COMMAND_EVENTS[action]?.[container.object.state === 'running' ? 'running' : 'stopped'] ?? [];
  const events: ContainerEvent[] = [];
  for (const name of plan) {
    if (name === 'die') events.push(died(container, clock(), 0));
    else if (name === 'start') events.push(...started(container, clock));
    else events.push(event(container, clock(), name));
  }
  return events;
}

/**
 * The container's main process dies (exit code 1, or 137 from the OOM killer) and its restart
 * policy starts it again, as a crash-looping service does.
 */
export function crash(container: SimContainer, clock: () => number, oom = Math.random() < 0.3): ContainerEvent[] {
  const events = [...(oom ? [event(container, clock(), 'oom')] : []), died(container, clock(), oom ? 137 : 1)];
  container.object = { ...container.object, restartCount: (container.object.restartCount ?? 0) + 1 };
  return [...events, ...started(container, clock)];
}

export function event(container: SimContainer, ts: number, action: ContainerEventAction, extra: Partial<ContainerEvent> = {}): ContainerEvent {
  return { containerId: container.object.dockerId, ts, action, ...extra };
}

export function died(container: SimContainer, at: number, exitCode: number): ContainerEvent {
  const { health: _health, ...object } = container.object;
  container.object = { ...object, state: 'exited', status: `Exited (${exitCode}) Less than a second ago`, exitCode, finishedAt: new Date(at).toISOString() };
  return event(container, at, 'die', { exitCode });
}

/** Docker announces no event for `starting`: only the first check's result (see checkHealth). */
export function started(container: SimContainer, clock: () => number): ContainerEvent[] {
  const at = clock();
  const health = container.template.healthcheck ? ('starting' as const) : undefined;
  container.object = { ...container.object, state: 'running', status: upFor(at, health), startedAt: new Date(at).toISOString(), exitCode: 0, ...(health ? { health } : {}) };
  return [event(container, at, 'start')];
}

/** A healthcheck ran: `health_status` when its result differs from what the container reported. */
export function checkHealth(container: SimContainer, clock: () => number): ContainerEvent[] {
  const { object, template, faults } = container;
  if (!template.healthcheck || object.state !== 'running') return [];
  const health = faults.failingHealthcheck ? 'unhealthy' : 'healthy';
  if (object.health === health) return [];
  container.object = { ...object, health, status: upFor(Date.parse(String(object.startedAt)), health) };
  return [event(container, clock(), 'health_status', { health })];
}
