import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { EngineRepository, type ContainerFacts, type HostFacts } from './engine.repository.js';

/** How long a container's name and labels are trusted before they are read again. */
const FRESH_MS = 60_000;
/** The most containers and hosts remembered; past it the least recently read are forgotten. */
const MAX_ENTRIES = 200_000;

interface Entry<T> {
  facts: T;
  readAt: number;
}

/**
 * Names, labels and owners of the containers and hosts the stream mentions, read in batches and
 * kept for a minute: the evaluator matches scopes on every row and must not query for each.
 */
@Injectable()
export class SubjectDirectory {
  private readonly containers = new Map<string, Entry<ContainerFacts>>();
  private readonly hosts = new Map<string, Entry<HostFacts>>();
  private readonly refreshing = new Set<string>();

  constructor(private readonly repository: EngineRepository) {}

  container(id: string): ContainerFacts | undefined {
    return this.containers.get(id)?.facts;
  }

  host(id: string): HostFacts | undefined {
    return this.hosts.get(id)?.facts;
  }

  /**
   * Reads whichever of these containers are unknown (the caller waits) or stale (read again in
   * the background: the caller goes on with what is known, renames show within a minute).
   */
  async ensureContainers(ids: Iterable<string>): Promise<void> {
    const now = Date.now();
    const missing: string[] = [];
    const stale: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.containers.get(id);
      if (!entry) missing.push(id);
      else if (entry.readAt <= now - FRESH_MS && !this.refreshing.has(id)) stale.push(id);
    }
    if (stale.length) {
      for (const id of stale) this.refreshing.add(id);
      void this.read(stale, now)
        .catch(() => undefined)
        .finally(() => stale.forEach((id) => this.refreshing.delete(id)));
    }
    if (missing.length) await this.read(missing, now);
  }

  private async read(ids: string[], now: number): Promise<void> {
    for (const facts of await this.repository.containers(ids)) remember(this.containers, facts.id, facts, now);
  }

  async ensureHosts(ids: Iterable<string>): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => !((this.hosts.get(id)?.readAt ?? -Infinity) > now - FRESH_MS));
    if (!missing.length) return;
    for (const facts of await this.repository.hosts(missing)) remember(this.hosts, facts.id, facts, now);
  }

  /** A host's online state as last read; presence changes reach it through `forgetHost`. */
  forgetHost(id: string): void {
    this.hosts.delete(id);
  }
}

/**
 * Facts read again and found unchanged keep their identity: evaluators compare facts by identity
 * to know when to match a subject's rules again, and a minute's refresh must not make them all.
 */
function remember<T>(map: Map<string, Entry<T>>, id: string, facts: T, readAt: number): void {
  const known = map.get(id)?.facts;
  map.delete(id);
  map.set(id, { facts: known !== undefined && isDeepStrictEqual(known, facts) ? known : facts, readAt });
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}
