import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { BatchingBuffer, type KindStats } from '../buffer/batching-buffer.js';
import { IngestRateSampler, RATE_WINDOW_MS } from './ingest-rate.sampler.js';

const stats = (flushedRows: number): KindStats => ({ pendingRows: 0, inFlightRows: 0, flushedRows, failedFlushes: 0, heldBytes: 0 });

describe('IngestRateSampler', () => {
  let sampler: IngestRateSampler;
  let now: number;
  let flushed: Record<string, number>;

  beforeEach(async () => {
    const buffer = { stats: () => Object.fromEntries(Object.entries(flushed).map(([kind, rows]) => [kind, stats(rows)])) };
    const moduleRef = await Test.createTestingModule({ providers: [IngestRateSampler, SchedulerRegistry, { provide: BatchingBuffer, useValue: buffer }] }).compile();
    sampler = moduleRef.get(IngestRateSampler);
    now = 1_000_000;
    sampler.clock = () => now;
    flushed = { metrics: 1_000, logs: 0 };
  });

  it('is zero when nothing was flushed since the first sample', () => {
    sampler.sample();
    now += 10_000;
    expect(sampler.rate()).toEqual({ rowsPerSecond: 0, kinds: { metrics: 0, logs: 0 }, windowSeconds: 10 });
  });

  it('counts rows flushed since the first sample, per kind and in total, not those before it', () => {
    sampler.sample();
    now += 10_000;
    flushed = { metrics: 1_500, logs: 100 };
    expect(sampler.rate()).toEqual({ rowsPerSecond: 60, kinds: { metrics: 50, logs: 10 }, windowSeconds: 10 });
  });

  it('forgets bursts that are older than the window', () => {
    sampler.sample();
    flushed = { metrics: 101_000, logs: 0 };
    for (let i = 0; i < 20; i++) {
      now += 5_000;
      sampler.sample();
    }
    now += 1_000;
    flushed = { metrics: 101_600, logs: 0 };
    const rate = sampler.rate();
    expect(rate.windowSeconds).toBeGreaterThanOrEqual(RATE_WINDOW_MS / 1000);
    expect(rate.windowSeconds).toBeLessThanOrEqual(RATE_WINDOW_MS / 1000 + 6);
    expect(rate.kinds.metrics).toBeCloseTo(600 / rate.windowSeconds, 0);
  });

  it('measures at least over one second, so a burst right after start-up is not inflated', () => {
    sampler.sample();
    now += 100;
    flushed = { metrics: 1_050, logs: 0 };
    expect(sampler.rate().rowsPerSecond).toBe(50);
  });
});
