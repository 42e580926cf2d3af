import { gapPeriods, type Span } from './gap-periods.js';

const M = 60_000;
const T = Date.UTC(2026, 10, 30, 10, 0);
const at = (minute: number) => T + minute * M;
const span = (from: number, to: number): Span => ({ from: at(from), to: at(to) });

describe('gapPeriods', () => {
  it('merges consecutive minutes of one reason and splits where the reason changes', () => {
    const periods = gapPeriods('container_metrics', [span(0, 10)], [{ from: at(4) + 30_000, to: at(20) }], new Set([at(7), at(8)]));
    expect(periods).toEqual([
      { kind: 'container_metrics', reason: 'agent_offline', from: at(0), to: at(4) },
      { kind: 'container_metrics', reason: 'not_collected', from: at(4), to: at(7) },
      { kind: 'container_metrics', reason: 'refused', from: at(7), to: at(9) },
      { kind: 'container_metrics', reason: 'not_collected', from: at(9), to: at(10) },
    ]);
  });

  it('keeps separate missing spans apart even with one reason', () => {
    expect(gapPeriods('host_metrics', [span(0, 2), span(5, 6)], [], new Set())).toEqual([
      { kind: 'host_metrics', reason: 'agent_offline', from: at(0), to: at(2) },
      { kind: 'host_metrics', reason: 'agent_offline', from: at(5), to: at(6) },
    ]);
  });

  it('counts a connection that ends exactly as a minute starts as not touching it', () => {
    expect(gapPeriods('host_metrics', [span(0, 3)], [span(-5, 1), span(2, 2)], new Set())).toEqual([
      { kind: 'host_metrics', reason: 'not_collected', from: at(0), to: at(1) },
      { kind: 'host_metrics', reason: 'agent_offline', from: at(1), to: at(3) },
    ]);
  });

  it('finds a short connection that starts after a long one that covers it, from several instances', () => {
    const connected = [span(0, 100), span(1, 2), span(3, 4)];
    expect(gapPeriods('host_metrics', [span(50, 52)], connected, new Set())).toEqual([{ kind: 'host_metrics', reason: 'not_collected', from: at(50), to: at(52) }]);
    expect(gapPeriods('host_metrics', [span(100, 101)], connected, new Set())).toEqual([{ kind: 'host_metrics', reason: 'agent_offline', from: at(100), to: at(101) }]);
  });

  it('says refused for a refused minute even while no connection covered it', () => {
    expect(gapPeriods('host_metrics', [span(0, 1)], [], new Set([at(0)]))).toEqual([{ kind: 'host_metrics', reason: 'refused', from: at(0), to: at(1) }]);
  });
});
