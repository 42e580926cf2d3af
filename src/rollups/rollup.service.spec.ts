import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { configModule } from '../config/config.module.js';
import { validateEnvironment } from '../config/environment.js';
import type { RollupTier } from '../time-series/rollup-tier.js';
import type { PeriodPairs } from './dirty-periods.js';
import { RollupService } from './rollup.service.js';
import type { RollupKind } from './rollup-specs.js';
import { RollupsRepository } from './rollups.repository.js';

/**
 * Records every recompute (minutes in `calls`, hours and days in `folds`); fails the next `failures`
 * calls; can hold calls open until released; with `changes`, reports every recomputed pair as changed.
 */
class FakeRollupsRepository {
  readonly calls: Array<{ kind: RollupKind; pairs: string[] }> = [];
  readonly folds: Array<{ tier: RollupTier; kind: RollupKind; pairs: string[] }> = [];
  changes = false;
  failures = 0;
  /** Statements with more pairs than this run past their timeout (57014). */
  timeoutAbove = Infinity;
  /** Keys whose minutes the database refuses for their values, whatever else the statement holds. */
  poisoned = new Set<string>();
  hold?: Promise<void>;
  recent: PeriodPairs | Error = { keys: [], periods: [] };

  async recompute(tier: RollupTier, kind: RollupKind, pairs: PeriodPairs): Promise<PeriodPairs> {
    const named = pairs.keys.map((key, i) => `${key}@${pairs.periods[i]}`);
    if (tier === 'minute') this.calls.push({ kind, pairs: named });
    else this.folds.push({ tier, kind, pairs: named });
    await this.hold;
    if (pairs.keys.length > this.timeoutAbove) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    if (pairs.keys.some((key) => this.poisoned.has(key))) throw Object.assign(new Error('value out of range: overflow'), { code: '22003' });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('connection refused');
    }
    return this.changes ? pairs : { keys: [], periods: [] };
  }

  /** `recent` for containers; hosts have written nothing lately. */
  async recentMinutes(kind: RollupKind): Promise<PeriodPairs> {
    if (this.recent instanceof Error) throw this.recent;
    return kind === 'container' ? this.recent : { keys: [], periods: [] };
  }
}

const row = (id: string, ts: string) => ({ id, ts });
/** Recent minutes (inside the rollup retention whenever the test runs): M0 and M1 as keys, at(...) as sample stamps. */
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const at = (minute: number, second = 0) => new Date(BASE + minute * 60_000 + second * 1000).toISOString();
const M0 = at(0).slice(0, 16);
const M1 = at(1).slice(0, 16);

describe('RollupService', () => {
  let service: RollupService;
  let repository: FakeRollupsRepository;

  beforeEach(async () => {
    repository = new FakeRollupsRepository();
    const moduleRef = await Test.createTestingModule({
      imports: [configModule(validateEnvironment({ RETENTION_ROLLUPS: '30d' }))],
      providers: [RollupService, SchedulerRegistry, { provide: RollupsRepository, useValue: repository }],
    }).compile();
    moduleRef.useLogger(false);
    Logger.overrideLogger(false);
    service = moduleRef.get(RollupService);
  });
  afterEach(() => service.onModuleDestroy());

  it('recomputes each touched (series, minute) once, per kind', async () => {
    service.touched('container', [row('a', at(0, 1)), row('a', at(0, 59)), row('b', at(1))], (r) => r.id);
    service.touched('host', [row('h', at(0, 1))], (r) => r.id);
    await service.settle();
    expect(repository.calls).toEqual([
      { kind: 'container', pairs: [`a@${M0}`, `b@${M1}`] },
      { kind: 'host', pairs: [`h@${M0}`] },
    ]);
    expect(service.pending).toBe(0);
  });

  it('folds the hours of changed minutes, then the days of changed hours, all before settle resolves', async () => {
    repository.changes = true;
    service.touched('container', [row('a', at(0)), row('a', at(1)), row('b', at(0))], (r) => r.id);
    await service.settle();
    const hour = `${M0.slice(0, 13)}:00`;
    const hours = [...new Set([M0, M1].map((m) => `${m.slice(0, 13)}:00`))];
    expect(repository.folds).toEqual([
      { tier: 'hour', kind: 'container', pairs: [...hours.map((h) => `a@${h}`), `b@${hour}`] },
      { tier: 'day', kind: 'container', pairs: [...new Set([...hours.map((h) => `a@${h.slice(0, 10)}T00:00`)])].concat(`b@${M0.slice(0, 10)}T00:00`) },
    ]);
    expect(service.pending).toBe(0);
  });

  it('settles only through the tier a read needs: a minute read does not wait for hours and days', async () => {
    repository.changes = true;
    service.touched('container', [row('a', at(0))], (r) => r.id);
    await service.settle('minute');
    expect(repository.calls).toHaveLength(1);
    expect(repository.folds).toEqual([]);
    expect(service.pending).toBe(1); // a's hour, folded by a later pass (its day is marked when the hour changes)
    await service.settle('hour');
    expect(repository.folds.map((fold) => fold.tier)).toEqual(['hour']);
    await service.settle();
    expect(repository.folds.map((fold) => fold.tier)).toEqual(['hour', 'day']);
    expect(service.pending).toBe(0);
  });

  it('folds no hour whose minutes did not change', async () => {
    service.touched('container', [row('a', at(0))], (r) => r.id);
    await service.settle();
    expect(repository.folds).toEqual([]);
  });

  it('keeps the hours of a failed fold for the next pass', async () => {
    repository.changes = true;
    service.touched('host', [row('h', at(0))], (r) => r.id);
    repository.failures = 0;
    const original = repository.recompute.bind(repository);
    let failHour = true;
    repository.recompute = async (tier, kind, pairs) => {
      if (tier === 'hour' && failHour) {
        failHour = false;
        throw new Error('connection refused');
      }
      return original(tier, kind, pairs);
    };
    await service.settle();
    expect(service.pending).toBe(1);
    await service.settle();
    expect(repository.folds.map((fold) => fold.tier)).toEqual(['hour', 'day']);
    expect(service.pending).toBe(0);
  });

  it('skips minutes older than the rollup retention', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 60_000).toISOString();
    service.touched('container', [row('a', old), row('a', recent)], (r) => r.id);
    await service.settle();
    expect(repository.calls).toEqual([{ kind: 'container', pairs: [`a@${recent.slice(0, 16)}`] }]);
  });

  it('splits large sets into statements of at most 2000 pairs', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => row(`c${i}`, at(0)));
    service.touched('container', rows, (r) => r.id);
    await service.settle();
    expect(repository.calls.map((call) => call.pairs.length)).toEqual([2000, 500]);
  });

  it('keeps the pairs of a failed pass for the next one, without throwing', async () => {
    repository.failures = 1;
    service.touched('container', [row('a', at(0))], (r) => r.id);
    await expect(service.settle()).resolves.toBeUndefined();
    expect(service.pending).toBe(1);
    await service.settle();
    expect(repository.calls.map((call) => call.pairs)).toEqual([[`a@${M0}`], [`a@${M0}`]]);
    expect(service.pending).toBe(0);
  });

  it('finds the minutes refused for their values, reports and drops them, and rolls up every other one', async () => {
    repository.poisoned.add('p');
    const rows = [row('a', at(0)), row('p', at(0)), row('b', at(0)), row('c', at(1)), row('d', at(1))];
    service.touched('container', rows, (r) => r.id);
    service.touched('host', [row('h', at(0))], (r) => r.id);
    await service.settle();
    const succeeded = repository.calls.filter((call) => !call.pairs.some((pair) => pair.startsWith('p@')));
    expect(succeeded.flatMap((call) => call.pairs).sort()).toEqual([`a@${M0}`, `b@${M0}`, `c@${M1}`, `d@${M1}`, `h@${M0}`]);
    expect({ pending: service.pending, failedMinutes: service.failedMinutes }).toEqual({ pending: 0, failedMinutes: 1 });
    const calls = repository.calls.length;
    await service.settle();
    expect(repository.calls).toHaveLength(calls);
  });

  it('settle waits for a pass in progress, then covers rows marked during it', async () => {
    let release!: () => void;
    repository.hold = new Promise((resolve) => (release = resolve));
    service.touched('container', [row('a', at(0))], (r) => r.id);
    const first = service.settle();
    await Promise.resolve();
    service.touched('container', [row('b', at(0))], (r) => r.id);
    let settled = false;
    const second = service.settle().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(repository.calls.map((call) => call.pairs)).toEqual([[`a@${M0}`], [`b@${M0}`]]);
  });

  it('recomputes recently written minutes on its own once started, and survives an unreachable database at start', async () => {
    repository.recent = { keys: ['a'], periods: [M0] };
    await service.onModuleInit();
    for (let i = 0; i < 60 && repository.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(repository.calls).toEqual([{ kind: 'container', pairs: [`a@${M0}`] }]);
    // Its hour and day are marked too (the minute may already have been current before the restart).
    await service.settle();
    expect(repository.folds).toEqual([
      { tier: 'hour', kind: 'container', pairs: [`a@${M0.slice(0, 13)}:00`] },
      { tier: 'day', kind: 'container', pairs: [`a@${M0.slice(0, 10)}T00:00`] },
    ]);
    service.onModuleDestroy();

    repository.recent = new Error('connection refused');
    await expect(service.onModuleInit()).resolves.toBeUndefined();
  });

  it('after a heavy pass rests 3 s before the next one of its own, after a light one about a second', async () => {
    // Each series moves on to M1, so its M0 is complete and the worker takes it at once (M1 is held).
    const closing = (id: string) => [row(id, at(0)), row(id, at(1))];
    const closedCalls = () => repository.calls.filter((call) => call.pairs.some((pair) => pair.endsWith(M0)));
    const waitForCalls = async (n: number, ms: number) => {
      const started = performance.now();
      while (closedCalls().length < n && performance.now() - started < ms) await new Promise((resolve) => setTimeout(resolve, 25));
      return performance.now() - started;
    };
    await service.onModuleInit();
    service.touched('container', closing('a'), (r) => r.id);
    expect(await waitForCalls(1, 2_500)).toBeLessThan(2_500);
    await service.settle('minute');
    service.touched('container', closing('b'), (r) => r.id);
    // A light pass: the next one comes on the next tick.
    expect(await waitForCalls(2, 2_000)).toBeLessThan(1_500);
    await service.settle('minute');
    let release!: () => void;
    repository.hold = new Promise((resolve) => (release = resolve));
    service.touched('container', closing('c'), (r) => r.id);
    await waitForCalls(3, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    release();
    repository.hold = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    service.touched('container', closing('d'), (r) => r.id);
    const waited = await waitForCalls(4, 5_000);
    expect(waited).toBeGreaterThan(2_500);
    expect(closedCalls().map((call) => call.pairs)).toEqual([[`a@${M0}`], [`b@${M0}`], [`c@${M0}`], [`d@${M0}`]]);
  }, 15_000);

  it('leaves a minute still filling to readers and to later passes, not to every pass', async () => {
    await service.onModuleInit();
    service.touched('container', [row('a', at(1)), row('a', at(1, 30))], (r) => r.id);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(repository.calls).toEqual([]);
    expect(service.pending).toBe(1);
    await service.settle('minute');
    expect(repository.calls).toEqual([{ kind: 'container', pairs: [`a@${M1}`] }]);
    expect(service.pending).toBe(0);
  });

  it('splits a statement that runs past its timeout, and keeps a single period that still does for later', async () => {
    repository.timeoutAbove = 2;
    service.touched('container', ['a', 'b', 'c', 'd', 'e'].map((id) => row(id, at(0))), (r) => r.id);
    await service.settle('minute');
    const done = repository.calls.filter((call) => call.pairs.length <= 2).flatMap((call) => call.pairs);
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => `${id}@${M0}`));
    expect(service.pending).toBe(0);
    expect(service.failedMinutes).toBe(0);

    repository.timeoutAbove = 0;
    service.touched('container', [row('f', at(0))], (r) => r.id);
    await service.settle('minute');
    expect(service.failedMinutes).toBe(0);
    expect(service.pending).toBeGreaterThan(0);
  });

  it('settles at shutdown, tolerating a database that is already gone', async () => {
    service.touched('host', [row('h', at(0))], (r) => r.id);
    repository.failures = 1;
    await expect(service.onApplicationShutdown()).resolves.toBeUndefined();
    expect(repository.calls).toHaveLength(1);
  });
});
