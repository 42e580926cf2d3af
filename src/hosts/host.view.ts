import type { Host } from '../generated/prisma/client.js';

/** A host as the API shows it: never its token generation, byte counts as numbers. */
export function toHostView(host: Host) {
  return {
    id: host.id,
    name: host.name,
    status: host.online ? ('online' as const) : ('offline' as const),
    lastSeenAt: host.lastSeenAt,
    agentVersion: host.agentVersion,
    hostname: host.hostname,
    os: host.os,
    kernel: host.kernel,
    dockerVersion: host.dockerVersion,
    cpus: host.cpus,
    memoryTotal: host.memoryTotal === null ? null : Number(host.memoryTotal),
    createdAt: host.createdAt,
  };
}
