import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { EventBus } from '../events/event-bus.js';
import { hostTopic } from '../hosts/host-topic.js';
import { HostRevocations } from '../hosts/host-revocations.js';
import { HostsRepository } from '../hosts/hosts.repository.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { toContainerView } from './container.view.js';
import { ContainersRepository, type SyncResult } from './containers.repository.js';
import { CONTAINERS_KIND } from './containers.kind.js';
import type { ContainerDto, ContainersFrameDto } from './dto/container.dto.js';
import { HostInventoryQueue } from './host-inventory-queue.js';
import { StoredContainerIds } from './stored-container-ids.js';

/**
 * Container inventory, and the Docker id → container id mapping every metrics and logs frame
 * needs. The mapping is cached per host, so a steady stream touches the database only for
 * containers this process has not seen: one read for those stored already, a write under the
 * host's inventory lock only for new ones. A host's inventory writes queue per host, and its snapshots
 * coalesce (HostInventoryQueue).
 */
@Injectable()
@HandlesKind(CONTAINERS_KIND)
export class ContainersService implements FrameHandler<ContainersFrameDto>, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ContainersService.name);
  private readonly idsByHost = new Map<string, Map<string, string>>();
  private readonly inventory = new HostInventoryQueue();
  /** Per host, the inventory push in progress: pushes go out in the order their syncs committed. */
  private readonly pushes = new Map<string, Promise<void>>();
  private revocations?: Subscription;

  constructor(
    private readonly containers: ContainersRepository,
    private readonly storedIds: StoredContainerIds,
    private readonly hostRevocations: HostRevocations,
    private readonly hosts: HostsRepository,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.revocations = this.hostRevocations.revoked$.subscribe((hostId) => this.idsByHost.delete(hostId));
  }

  onModuleDestroy(): void {
    this.revocations?.unsubscribe();
  }

  async handle(agent: AgentContext, frame: ContainersFrameDto): Promise<void> {
    await this.sync(agent.hostId, frame.data, agent.organizationId);
  }

  /** Applies a full snapshot: upserts by (host, Docker id) and marks missing containers removed. */
  async sync(hostId: string, containers: ContainerDto[], organizationId?: string): Promise<Omit<SyncResult, 'ids'>> {
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
    return this.inventory.snapshot(hostId, () => this.apply(hostId, containers, organizationId));
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
      // Most misses are containers stored already (this process had not seen the host yet): read them without the host's write lock.
      for (const [shortId, id] of await this.storedIds.of(hostId, [...missing.keys()])) {
        cache.set(shortId, id);
        missing.delete(shortId);
      }
    }
    if (missing.size) {
      await this.inventory.enqueue(hostId, async () => {
        // A snapshot that ran meanwhile may have brought them.
        for (const shortId of missing.keys()) if (cache.has(shortId)) missing.delete(shortId);
        if (missing.size) for (const [shortId, id] of await this.containers.ensure(hostId, missing)) cache.set(shortId, id);
      });
    }
    return cache;
  }

  private async apply(hostId: string, containers: ContainerDto[], organizationId?: string): Promise<Omit<SyncResult, 'ids'>> {
    const { ids, ...result } = await this.containers.sync(hostId, containers);
    const cache = this.cache(hostId);
    for (const [shortId, id] of ids) cache.set(shortId, id);
    this.pushInventory(hostId, organizationId);
    return result;
  }

  /**
   * After a committed sync, the host's dashboards get its container list (as GET
   * /api/hosts/:hostId/containers shows it). It needs a read, so it runs beside the answer to
   * the agent instead of delaying it, and only when someone watches the host.
   */
  private pushInventory(hostId: string, organizationId?: string): void {
    if (!this.bus.hasSubscribers(hostTopic(hostId))) return;
    const push = (this.pushes.get(hostId) ?? Promise.resolve())
      .then(async () => {
        const orgId = organizationId ?? (await this.hosts.findAgentCredentials(hostId))?.organizationId;
        if (!orgId) return;
        const data = (await this.containers.listForHost(orgId, hostId, false)).map(toContainerView);
        this.bus.publish(hostTopic(hostId), { type: 'containers', data });
      })
      .catch((error: Error) => this.logger.warn(`Publishing the inventory of host ${hostId} failed: ${error.message}`))
      .finally(() => {
        if (this.pushes.get(hostId) === push) this.pushes.delete(hostId);
      });
    this.pushes.set(hostId, push);
  }

  private cache(hostId: string): Map<string, string> {
    let cache = this.idsByHost.get(hostId);
    if (!cache) this.idsByHost.set(hostId, (cache = new Map()));
    return cache;
  }
}
