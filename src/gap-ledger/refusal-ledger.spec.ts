import type { SchedulerRegistry } from '@nestjs/schedule';
import type { LedgerClock } from './ledger-clock.js';
import { RefusalLedger } from './refusal-ledger.js';
import type { RefusalCount, RefusalLedgerRepository } from './refusal-ledger.repository.js';

const M = 60_000;
const T = Date.UTC(2026, 10, 30, 10);
const HOST = '6f1c2b3a-0000-4000-8000-000000000001';

function ledger() {
  const written: RefusalCount[][] = [];
  const repository = { add: async (counts: RefusalCount[]) => void written.push(counts) } as unknown as RefusalLedgerRepository;
  const clock = { now: () => T + 30 * M + 5_000 } as LedgerClock;
  return { ledger: new RefusalLedger(repository, clock, {} as SchedulerRegistry), written };
}

describe('RefusalLedger', () => {
  it('counts a refused frame in the minutes of its samples, else in the minute it arrived', async () => {
    const { ledger: refusals, written } = ledger();
    const data = [{ ts: new Date(T + 5_000).toISOString() }, { ts: new Date(T + 59_000).toISOString() }, { ts: T + M + 1 }, { ts: '2026-11-30T11:02:00+01:00' }, { ts: 'garbage' }, 7];
    refusals.refused(HOST, 'metrics', 'invalid_message', data);
    refusals.refused(HOST, 'metrics', 'rate_limited', [{ ts: new Date(T + 10_000).toISOString() }]);
    refusals.refused(HOST, 'unknown', 'invalid_json');
    await refusals.flush();
    const byKey = Object.fromEntries(written.flat().map((c) => [`${c.kind}@${(c.minute - T) / M}`, [c.frames, c.rows, c.code]]));
    expect(byKey).toEqual({
      'metrics@0': [2, 3, 'rate_limited'],
      'metrics@1': [1, 1, 'invalid_message'],
      'metrics@2': [1, 1, 'invalid_message'],
      'unknown@30': [1, 0, 'invalid_json'],
    });
  });
});
