import type { ContainerObject } from '@dockpulse/protocol';
import { createHash } from 'node:crypto';
import { between, dockerId, pick } from './random.js';
import { SERVICES, type ServiceTemplate } from './service-catalog.js';

const PROJECTS = ['shop', 'billing', 'search', 'auth', 'media', 'reports'];

/** One simulated container: what `docker ps` shows plus the state its stats random-walk from. */
export interface SimContainer {
  object: ContainerObject;
  template: ServiceTemplate;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** `Up 3 hours`, as Docker words a running container's status. */
function upFor(startedAt: number): string {
  const minutes = Math.max(1, Math.round((Date.now() - startedAt) / 60_000));
  if (minutes < 60) return `Up ${minutes} minutes`;
  if (minutes < 48 * 60) return `Up ${Math.round(minutes / 60)} hours`;
  return `Up ${Math.round(minutes / 1440)} days`;
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
      status: upFor(startedAt),
      // Only the first replica can own a published port, as on a real host.
      ports: template.ports.map((port) => (replica === 1 ? port : { privatePort: port.privatePort, type: port.type })),
      labels: {
        'com.docker.compose.project': project,
        'com.docker.compose.service': template.service,
        'com.docker.compose.container-number': String(replica),
        'org.opencontainers.image.version': template.image.split(':')[1] ?? 'latest',
      },
      startedAt: new Date(startedAt).toISOString(),
    };
    return {
      object,
      template,
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

/** Applies a start/stop/restart command the way Docker would change what `docker ps` reports. */
export function applyAction(container: SimContainer, action: string): void {
  const now = new Date();
  if (action === 'stop') {
    container.object = { ...container.object, state: 'exited', status: 'Exited (0) Less than a second ago' };
  } else if (action === 'start' || action === 'restart') {
    container.object = { ...container.object, state: 'running', status: 'Up Less than a second', startedAt: now.toISOString() };
  }
}
