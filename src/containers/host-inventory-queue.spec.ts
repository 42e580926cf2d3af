import { HostInventoryQueue } from './host-inventory-queue.js';

/** A job that records when it starts and finishes only when released. */
function gate(log: string[], name: string, result: unknown = name) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const run = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
    return result;
  };
  return { run, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('HostInventoryQueue', () => {
  let queue: HostInventoryQueue;
  let log: string[];
  beforeEach(() => {
    queue = new HostInventoryQueue();
    log = [];
  });

  it("runs one host's jobs one at a time, in arrival order, and other hosts' beside them", async () => {
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const results = [queue.enqueue('a', a1.run), queue.enqueue('a', a2.run), queue.enqueue('b', b1.run)];
    await tick();
    expect(log).toEqual(['start a1', 'start b1']);
    a1.release();
    await tick();
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'start a2']);
    a2.release();
    b1.release();
    await expect(Promise.all(results)).resolves.toEqual(['a1', 'a2', 'b1']);
  });

  it('replaces a snapshot still waiting by a newer one, and answers both with the newer outcome', async () => {
    const running = gate(log, 's1', { total: 1 });
    const first = queue.snapshot('a', running.run);
    const superseded = queue.snapshot('a', gate(log, 's2', { total: 2 }).run);
    const newest = gate(log, 's3', { total: 3 });
    const latest = queue.snapshot('a', newest.run);
    running.release();
    await tick();
    newest.release();
    await expect(Promise.all([first, superseded, latest])).resolves.toEqual([{ total: 1 }, { total: 3 }, { total: 3 }]);
    expect(log).toEqual(['start s1', 'end s1', 'start s3', 'end s3']);
  });

  it('never replaces the running snapshot, and keeps a failure to the callers it belongs to', async () => {
    const running = gate(log, 's1');
    const first = queue.snapshot('a', running.run);
    const failing = queue.snapshot('a', async () => {
      throw new Error('database gone');
    });
    const after = queue.enqueue('a', async () => 'next');
    running.release();
    await expect(first).resolves.toBe('s1');
    await expect(failing).rejects.toThrow('database gone');
    await expect(after).resolves.toBe('next');
  });
});
