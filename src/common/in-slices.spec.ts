import { inSlices } from './in-slices.js';

describe('inSlices', () => {
  it('visits every item, letting other work run between slices', async () => {
    const seen: string[] = [];
    // Work already waiting for the event loop (a socket's data, say) runs before the second slice.
    setImmediate(() => seen.push('other work'));
    const pass = inSlices([1, 2, 3, 4, 5], 2, (n) => void seen.push(`item ${n}`));
    await pass;
    expect(seen).toEqual(['item 1', 'item 2', 'other work', 'item 3', 'item 4', 'item 5']);
  });

  it('follows a Map changed during the pass: removed entries are skipped, added ones visited', async () => {
    const sockets = new Map([['a', 1], ['b', 2], ['c', 3]]);
    const seen: string[] = [];
    const pass = inSlices(sockets.keys(), 1, (key) => void seen.push(key));
    sockets.delete('c');
    sockets.set('d', 4);
    await pass;
    expect(seen).toEqual(['a', 'b', 'd']);
  });
});
