import type { ContainersRepository } from './containers.repository.js';
import { StoredContainerIds } from './stored-container-ids.js';

type Pair = { hostId: string; shortId: string };
type Row = { host_id: string; short_id: string; id: string };

/** Reads answered by the test: what is in flight, and how many reads there were and of what size, is the point here. */
function heldReads(stored: Map<string, string>) {
  const reads: { pairs: Pair[]; answer: () => void; fail: (error: Error) => void }[] = [];
  const repository = {
    storedIds: (pairs: readonly Pair[]) =>
      new Promise<Row[]>((resolve, reject) => {
        const rows = pairs.flatMap((p) => (stored.has(`${p.hostId}/${p.shortId}`) ? [{ host_id: p.hostId, short_id: p.shortId, id: stored.get(`${p.hostId}/${p.shortId}`)! }] : []));
        reads.push({ pairs: [...pairs], answer: () => resolve(rows), fail: reject });
      }),
  } as unknown as ContainersRepository;
  return { reads, ids: new StoredContainerIds(repository) };
}

/** A few turns of the event loop: a batch is dispatched one setImmediate after the read before it settled. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('StoredContainerIds', () => {
  it('asks for what arrives while a read is in flight in one read after it', async () => {
    const stored = new Map(Array.from({ length: 300 }, (_, h) => [`host-${h}/aaaaaaaaaaaa`, `id-${h}`]));
    const { reads, ids } = heldReads(stored);
    const first = ids.of('host-0', ['aaaaaaaaaaaa']);
    await settle();
    expect(reads).toHaveLength(1);
    const rest = Array.from({ length: 299 }, (_, i) => ids.of(`host-${i + 1}`, ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']));
    await settle();
    expect(reads).toHaveLength(1); // waiting for the read in flight
    reads[0].answer();
    expect(await first).toEqual(new Map([['aaaaaaaaaaaa', 'id-0']]));
    await settle();
    expect(reads).toHaveLength(2);
    expect(reads[1].pairs).toHaveLength(598);
    reads[1].answer();
    const answers = await Promise.all(rest);
    // Stored short ids come back; the one never stored is left out (the caller creates it).
    expect(answers[41]).toEqual(new Map([['aaaaaaaaaaaa', 'id-42']]));
  });

  it('fails the lookups of a failed read, and reads again for the next ones', async () => {
    const { reads, ids } = heldReads(new Map([['h/aaaaaaaaaaaa', 'id']]));
    const failing = ids.of('h', ['aaaaaaaaaaaa']);
    await settle();
    reads[0].fail(new Error('connection terminated'));
    await expect(failing).rejects.toThrow('connection terminated');
    const next = ids.of('h', ['aaaaaaaaaaaa']);
    await settle();
    reads[1].answer();
    expect(await next).toEqual(new Map([['aaaaaaaaaaaa', 'id']]));
  });
});
