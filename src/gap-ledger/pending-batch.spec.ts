import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { PendingBatch } from './pending-batch.js';

interface Count {
  key: string;
  n: number;
}

function batch(max = 10) {
  const written: Count[][] = [];
  let failures = 0;
  const logger = new Logger('test');
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const pending = new PendingBatch<Count>({
    what: 'count(s)',
    max,
    keyOf: (entry) => entry.key,
    merge: (into, from) => void (into.n += from.n),
    write: async (entries) => {
      if (failures-- > 0) throw new Error('connection refused');
      written.push(entries.map((entry) => ({ ...entry })));
    },
    logger,
  });
  const add = (key: string, n: number) => {
    const entry = pending.entry(key, () => ({ key, n: 0 }));
    if (entry) entry.n += n;
  };
  return { pending, add, written, fail: (times: number) => (failures = times), logger };
}

describe('PendingBatch', () => {
  it('merges a failed write back into what came meanwhile, and writes it all next time', async () => {
    const { pending, add, written, fail } = batch();
    add('a', 1);
    fail(1);
    await pending.flush();
    add('a', 2);
    add('b', 5);
    await pending.flush();
    expect(written).toEqual([[{ key: 'a', n: 3 }, { key: 'b', n: 5 }]]);
    expect(pending.size).toBe(0);
  });

  it('keeps at most `max` keys, counting the rest as lost in a warning', async () => {
    const { pending, add, written, logger } = batch(2);
    for (const key of ['a', 'b', 'c']) add(key, 1);
    add('a', 1);
    await pending.flush();
    expect(written).toEqual([[{ key: 'a', n: 2 }, { key: 'b', n: 1 }]]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/^1 count\(s\) were not recorded/));
  });
});
