import { Injectable, NotFoundException, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { HostRevocations } from '../hosts/host-revocations.js';
import { HostsRepository } from '../hosts/hosts.repository.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { toContainerView } from './container.view.js';
import { ContainersRepository, type SyncResult } from './containers.repository.js';
import { ContainerDto, ContainersFrameDto } from './dto/container.dto.js';

/**
 * Container inventory, and the Docker id → container id mapping every metrics and logs frame
 * needs. The mapping is cached per host, so a steady stream touches the database only for
 * containers it has never seen.
 */
@Injectable()
export class ContainersService implements FrameHandler<ContainersFrameDto>, OnModuleInit, OnModuleDestroy {
  readonly type = 'containers';
  readonly dto = ContainersFrameDto;
  private readonly idsByHost = new Map<string, Map<string, string>>();
  private revocations?: Subscription;

  constructor(
    private readonly containers: ContainersRepository,
    private readonly registry: FrameRegistry,
    private readonly stats: IngestStats,
    private readonly hostRevocations: HostRevocations,
    private readonly hosts: HostsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
    this.revocations = this.hostRevocations.revoked$.subscribe((hostId) => this.idsByHost.delete(hostId));
  }

  onModuleDestroy(): void {
    this.revocations?.unsubscribe();
  }

  async handle(agent: AgentContext, frame: ContainersFrameDto): Promise<void> {
    await this.sync(agent.hostId, frame.data);
    this.stats.accepted(this.type);
  }

  /** Applies a full snapshot: upserts by (host, Docker id) and marks missing containers removed. */
  async sync(hostId: string, containers: ContainerDto[]): Promise<Omit<SyncResult, 'ids'>> {
    const seen = new Map<string, number>();
    containers.forEach((container, index) => {
      const shortId = container.dockerId.slice(0, 12);
      if (seen.has(shortId)) {
        throw new FrameRejectedError('The snapshot names a container twice', [
          { path: `data[${index}].dockerId`, message: `data[${index}].dockerId repeats data[${seen.get(shortId)}].dockerId` },
        ]);
      }
      seen.set(shortId, index);
    });
    const { ids, ...result } = await this.containers.sync(hostId, containers);
    const cache = this.cache(hostId);
    for (const [shortId, id] of ids) cache.set(shortId, id);
    return result;
  }

  /**
   * Container ids keyed by short Docker id (first 12 hex) for the given Docker ids, full or
   * short; containers never seen before are created (state `unknown`) rather than dropped.
   */
  async resolve(hostId: string, dockerIds: Iterable<string>): Promise<Map<string, string>> {
    const cache = this.cache(hostId);
    const missing = new Map<string, string>();
    for (const dockerId of dockerIds) {
      const shortId = dockerId.slice(0, 12);
      if (!cache.has(shortId) && !missing.has(shortId)) missing.set(shortId, dockerId);
    }
    if (missing.size) {
      for (const [shortId, id] of await this.containers.ensure(hostId, missing)) cache.set(shortId, id);
    }
    return cache;
  }

  async listForHost(organizationId: string, hostId: string, runningOnly: boolean) {
    if (!(await this.hosts.find(organizationId, hostId))) throw new NotFoundException('Host not found');
    return (await this.containers.listForHost(organizationId, hostId, runningOnly)).map(toContainerView);
  }

  async get(organizationId: string, containerId: string) {
    const container = await this.containers.find(organizationId, containerId);
    if (!container) throw new NotFoundException('Container not found');
    return toContainerView(container);
  }

  private cache(hostId: string): Map<string, string> {
    let cache = this.idsByHost.get(hostId);
    if (!cache) this.idsByHost.set(hostId, (cache = new Map()));
    return cache;
  }
}
