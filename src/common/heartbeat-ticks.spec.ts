import { HeartbeatTicks } from './heartbeat-ticks.js';

describe('HeartbeatTicks', () => {
  it('judges a tick on time as fair and one after a stall as not, then recovers', () => {
    const ticks = new HeartbeatTicks(1_000);
    const start = (ticks as unknown as { last: number }).last;
    expect(ticks.peersHadTheirChance(start + 1_000)).toBe(true);
    expect(ticks.peersHadTheirChance(start + 2_400)).toBe(true);
    expect(ticks.peersHadTheirChance(start + 9_000)).toBe(false);
    expect(ticks.peersHadTheirChance(start + 10_000)).toBe(true);
  });
});
