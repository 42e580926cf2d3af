import { NotFoundException } from '@nestjs/common';
import type { AccessRepository } from './access.repository.js';

// Another tenant's id answers exactly as an unknown one: 404, never 403 (CONTRACT.md).

/** Throws 404 `Host not found` unless the host belongs to the organization. */
export async function requireHost(access: AccessRepository, organizationId: string, hostId: string): Promise<void> {
  if (!(await access.ownedHosts(organizationId, [hostId])).has(hostId.toLowerCase())) throw new NotFoundException('Host not found');
}

/** Throws 404 `Container not found` unless the container's host belongs to the organization. */
export async function requireContainer(access: AccessRepository, organizationId: string, containerId: string): Promise<void> {
  if (!(await access.ownedContainers(organizationId, [containerId])).has(containerId.toLowerCase())) throw new NotFoundException('Container not found');
}
