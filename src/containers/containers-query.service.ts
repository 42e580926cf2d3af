import { Injectable, NotFoundException } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import { toContainerView } from './container.view.js';
import { ContainersRepository } from './containers.repository.js';

/** Containers as the API reads them (ContainersService keeps the inventory and the id mapping). */
@Injectable()
export class ContainersQueryService {
  constructor(
    private readonly containers: ContainersRepository,
    private readonly access: AccessRepository,
  ) {}

  async listForHost(organizationId: string, hostId: string, runningOnly: boolean) {
    await requireHost(this.access, organizationId, hostId);
    return (await this.containers.listForHost(organizationId, hostId, runningOnly)).map(toContainerView);
  }

  async get(organizationId: string, containerId: string) {
    const container = await this.containers.find(organizationId, containerId);
    if (!container) throw new NotFoundException('Container not found');
    return toContainerView(container);
  }
}
