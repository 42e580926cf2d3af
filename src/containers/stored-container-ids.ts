import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ContainersRepository } from './containers.repository.js';

interface ContainerKey {
  hostId: string;
  shortId: string;
}

/** Pairs per read: bounds the statement's arrays. */
const MAX_PAIRS = 5_000;

/**
 * Ids of stored containers that this process has not cached yet, looked up for many hosts in one
 * read: lookups asked while a read is in flight wait for it and go together in the next one
 * (DataLoader, with batches scheduled after the read in flight). When an instance's agents all
 * reconnect to the others at once, each of those has a few reads to make, not one per host queued
 * behind the bulk writes (bench:cluster, "the fleet's first 3 s").
 */
@Injectable()
export class StoredContainerIds {
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly loader = new DataLoader<ContainerKey, string | null>((keys) => this.read(keys), {
    cache: false,
    maxBatchSize: MAX_PAIRS,
    batchScheduleFn: (dispatch) => void this.inFlight.finally(() => setImmediate(dispatch)),
  });

  constructor(private readonly repository: ContainersRepository) {}

  /** The ids of those of the host's short ids whose containers are stored, by short id. */
  async of(hostId: string, shortIds: readonly string[]): Promise<Map<string, string>> {
    const ids = await Promise.all(shortIds.map((shortId) => this.loader.load({ hostId, shortId })));
    return new Map(shortIds.flatMap((shortId, i) => (ids[i] ? [[shortId, ids[i]] as const] : [])));
  }

  private read(keys: readonly ContainerKey[]): Promise<Array<string | null>> {
    const read = this.repository.storedIds(keys).then((rows) => {
      const ids = new Map(rows.map((row) => [`${row.host_id}/${row.short_id}`, row.id]));
      return keys.map((key) => ids.get(`${key.hostId}/${key.shortId}`) ?? null);
    });
    this.inFlight = read.catch(() => undefined);
    return read;
  }
}
