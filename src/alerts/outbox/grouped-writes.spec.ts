import { GroupedWrites } from './grouped-writes.js';

describe('GroupedWrites', () => {
  it('writes keys handed in during a write together in the next one', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const grouped = new GroupedWrites(async (keys) => {
      writes.push(keys);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = grouped.add('a');
    const rest = ['b', 'c', 'd'].map((key) => grouped.add(key));
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects every caller of a failed write, and keeps writing afterwards', async () => {
    let fail = true;
    const grouped = new GroupedWrites(async () => {
      if (fail) throw new Error('database down');
    });
    await expect(grouped.add('a')).rejects.toThrow('database down');
    fail = false;
    await expect(grouped.add('b')).resolves.toBeUndefined();
  });
});
