import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { configModule } from '../config/config.module.js';
import { validateEnvironment } from '../config/environment.js';
import { isDataError } from '../database/database-errors.js';
import { backoffMs, jittered } from './backoff.js';
import { BatchingBuffer, MAX_CONCURRENT_FLUSHES, MAX_CONCURRENT_FLUSHES_SHARED } from './batching-buffer.js';
import type { BufferSink } from './buffer-sink.js';
import { BufferClosedError, BufferOverloadedError, BufferRefusedError, BufferUnavailableError } from './buffer.errors.js';
import { BufferModule } from './buffer.module.js';

/** Records every committed batch. */
class RecordingSink implements BufferSink<number> {
  readonly batches: number[][] = [];
  constructor(readonly kind = 'metrics') {}
  async write(rows: number[]): Promise<void> {
    this.batches.push([...rows]);
  }
}

/** Fails its first `failures` attempts ('connection refused'), then records like RecordingSink. */
class FlakySink extends RecordingSink {
  readonly attempts: number[][] = [];
  constructor(private failures: number, kind?: string) {
    super(kind);
  }
  override async write(rows: number[]): Promise<void> {
    this.attempts.push([...rows]);
    if (this.failures-- > 0) throw new Error('connection refused');
    await super.write(rows);
  }
}

/** Every write stays open until the test commits or fails it. */
class HeldSink implements BufferSink<number> {
  readonly writes: Array<{ rows: number[]; original: number[]; commit: () => void; fail: (error: Error) => void }> = [];
  constructor(readonly kind = 'metrics') {}
  write(rows: number[]): Promise<void> {
    return new Promise((commit, fail) => this.writes.push({ rows: [...rows], original: rows, commit: () => commit(), fail }));
  }
}

/** An error as pg and PGlite raise it, with its SQLSTATE in `code`. */
const sqlError = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * Refuses any write holding a negative row, as PostgreSQL refuses a value out of range for its
 * column (SQLSTATE 22003), and classifies errors as the real bulk writer does.
 */
class RefusingSink extends RecordingSink {
  readonly attempts: number[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Errors to throw instead of writing, by attempt number (1 = the first write), e.g. a deadlock. */
  readonly failAt = new Map<number, Error>();
  override async write(rows: number[]): Promise<void> {
    this.attempts.push([...rows]);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      await sleep(1);
      const error = this.failAt.get(this.attempts.length);
      if (error) throw error;
      const bad = rows.find((row) => row < 0);
      if (bad !== undefined) throw sqlError('22003', `value "${bad}" is out of range for type integer`);
      await super.write(rows);
    } finally {
      this.inFlight--;
    }
  }
  refusesRows(error: unknown): boolean {
    return isDataError(error);
  }
}

const frame = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await sleep(2);
  }
}
/** Lets a test look at whether a promise has settled without awaiting it. */
function track(promise: Promise<void>) {
  const state: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(() => (state.settled = true), (error) => Object.assign(state, { settled: true, error }));
  return state;
}

/** Keeps expected failure warnings out of the test output; the spies let a test count them. */
function quietLogger() {
  return {
    warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
    log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
  };
}

const modules: TestingModule[] = [];
/** Size and age triggers alone unless a test turns group commit (BUFFER_FLUSH_IDLE) on. */
async function createBuffer(env: Record<string, string>, ...sinks: BufferSink<number>[]): Promise<BatchingBuffer> {
  const defaults = { BUFFER_MAX_ROWS: '10', BUFFER_FLUSH_MS: '60000', BUFFER_FLUSH_IDLE: 'false' };
  const moduleRef = await Test.createTestingModule({
    imports: [configModule(validateEnvironment({ ...defaults, ...env })), BufferModule],
  }).compile();
  modules.push(moduleRef);
  const buffer = moduleRef.get(BatchingBuffer);
  for (const sink of sinks) buffer.register(sink);
  return buffer;
}

afterEach(async () => {
  for (const moduleRef of modules.splice(0)) await moduleRef.close();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('BatchingBuffer', () => {
  describe('registration and trivial adds', () => {
    it('throws when a kind is registered twice', async () => {
      const buffer = await createBuffer({}, new RecordingSink('logs'));
      expect(() => buffer.register(new RecordingSink('logs'))).toThrow(/"logs" is already registered/);
    });

    it('throws an error naming the kind when adding to an unregistered kind', async () => {
      const buffer = await createBuffer({}, new RecordingSink());
      expect(() => buffer.add('processes', [1])).toThrow(/"processes"/);
    });

    it('resolves an add with zero rows at once, even while the buffer is full', async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '10' }, sink);
      void buffer.add('metrics', frame(0, 10));
      await expect(buffer.add('metrics', [])).resolves.toBeUndefined();
      expect(sink.writes).toHaveLength(1);
    });

    it('calls onAdmitted synchronously for rows it takes, never for a frame it refuses', async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '10' }, sink);
      const admitted: string[] = [];
      const taken = buffer.add('metrics', frame(0, 8), 0, () => admitted.push('first'));
      expect(admitted).toEqual(['first']);
      await expect(buffer.add('metrics', frame(8, 5), 0, () => admitted.push('refused'))).rejects.toBeInstanceOf(BufferOverloadedError);
      expect(admitted).toEqual(['first']);
      void taken;
    });

    it('rejects a negative or non-finite byte estimate', async () => {
      const buffer = await createBuffer({}, new RecordingSink());
      expect(() => buffer.add('metrics', [1], -1)).toThrow(RangeError);
      expect(() => buffer.add('metrics', [1], Number.NaN)).toThrow(RangeError);
    });
  });

  describe('flush triggers', () => {
    it('flushes as soon as pending rows reach BUFFER_MAX_ROWS, without waiting for BUFFER_FLUSH_MS', async () => {
      const sink = new RecordingSink();
      const buffer = await createBuffer({}, sink);
      const first = buffer.add('metrics', frame(0, 6));
      await sleep(20);
      expect(sink.batches).toEqual([]);
      await Promise.all([first, buffer.add('metrics', frame(6, 4))]);
      expect(sink.batches).toEqual([frame(0, 10)]);
    });

    it('flushes when the OLDEST pending row is BUFFER_FLUSH_MS old, and not before', async () => {
      jest.useFakeTimers();
      const sink = new RecordingSink();
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '50' }, sink);
      void buffer.add('metrics', [1]);
      await jest.advanceTimersByTimeAsync(30);
      void buffer.add('metrics', [2]);
      await jest.advanceTimersByTimeAsync(19);
      expect(sink.batches).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(sink.batches).toEqual([[1, 2]]);
    });

    it('keeps the deadline of the oldest pending row when a commit re-arms the timer', async () => {
      jest.useFakeTimers();
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '50' }, sink);
      void buffer.add('metrics', frame(0, 10));
      void buffer.add('metrics', [1]);
      await jest.advanceTimersByTimeAsync(30);
      void buffer.add('metrics', [2]);
      sink.writes[0].commit();
      await jest.advanceTimersByTimeAsync(19);
      expect(sink.writes).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(sink.writes.map((write) => write.rows)).toEqual([frame(0, 10), [1, 2]]);
    });

    it('with BUFFER_FLUSH_IDLE, writes at once when nothing is in flight and gathers what arrives meanwhile into the next write', async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_FLUSH_IDLE: 'true' }, sink);
      const first = buffer.add('metrics', [1]);
      expect(sink.writes.map((write) => write.rows)).toEqual([[1]]);
      const later = [buffer.add('metrics', [2]), buffer.add('metrics', [3])];
      await sleep(20);
      expect(sink.writes).toHaveLength(1);
      sink.writes[0].commit();
      await first;
      expect(sink.writes.map((write) => write.rows)).toEqual([[1], [2, 3]]);
      sink.writes[1].commit();
      await Promise.all(later);
    });

    it('with BUFFER_FLUSH_IDLE, does not write early while a failed batch waits for its retry', async () => {
      const sink = new FlakySink(1);
      const buffer = await createBuffer({ BUFFER_FLUSH_IDLE: 'true' }, sink);
      void buffer.add('metrics', [1]);
      await sleep(10);
      expect(buffer.unhealthy).toBe(true);
      void buffer.add('metrics', [2]);
      await sleep(20);
      expect(sink.attempts).toEqual([[1]]);
    });

    it('keeps a timer only while rows are pending', async () => {
      jest.useFakeTimers();
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '50' }, new RecordingSink());
      expect(jest.getTimerCount()).toBe(0);
      const added = buffer.add('metrics', [1]);
      void buffer.add('metrics', [2]);
      expect(jest.getTimerCount()).toBe(1);
      await jest.advanceTimersByTimeAsync(50);
      await added;
      expect(jest.getTimerCount()).toBe(0);
      await buffer.add('metrics', frame(0, 10));
      expect(jest.getTimerCount()).toBe(0);
    });

    it('keeps one buffer per kind', async () => {
      const metrics = new RecordingSink('metrics');
      const logs = new RecordingSink('logs');
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '30' }, metrics, logs);
      const log = buffer.add('logs', [100]);
      await buffer.add('metrics', frame(0, 10));
      expect(logs.batches).toEqual([]);
      await log;
      expect(logs.batches).toEqual([[100]]);
      expect(metrics.batches).toEqual([frame(0, 10)]);
    });
  });

  describe('batches', () => {
    it('takes whole frames in arrival order until the next would pass BUFFER_MAX_ROWS', async () => {
      const sink = new RecordingSink();
      const buffer = await createBuffer({}, sink);
      const frames = [frame(0, 4), frame(4, 4), frame(8, 4), frame(12, 3), frame(15, 3)];
      await Promise.all(frames.map((rows) => buffer.add('metrics', rows)));
      expect(sink.batches).toEqual([frame(0, 8), frame(8, 10)]);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, flushedRows: 18 });
    });

    it('writes a frame larger than BUFFER_MAX_ROWS whole, in a batch of its own', async () => {
      const sink = new RecordingSink();
      const buffer = await createBuffer({}, sink);
      await Promise.all([buffer.add('metrics', frame(0, 3)), buffer.add('metrics', frame(3, 25))]);
      expect(sink.batches).toEqual([frame(0, 3), frame(3, 25)]);
    });

    it("passes a lone frame's own array to the sink and concatenates only multi-frame batches", async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({}, sink);
      const lone = frame(0, 10);
      void buffer.add('metrics', lone);
      const [a, b] = [frame(10, 5), frame(15, 5)];
      void buffer.add('metrics', a);
      void buffer.add('metrics', b);
      expect(sink.writes[0].original).toBe(lone);
      expect(sink.writes[1].rows).toEqual([...a, ...b]);
      expect(a).toEqual(frame(10, 5));
    });

    it("resolves each frame's promise when the write holding it commits, not before", async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({}, sink);
      const [a, b, c, d] = [frame(0, 4), frame(4, 4), frame(8, 4), frame(12, 6)].map((rows) => track(buffer.add('metrics', rows)));
      expect(sink.writes.map((write) => write.rows)).toEqual([frame(0, 8), frame(8, 10)]);
      sink.writes[1].commit();
      await sleep(5);
      expect([a.settled, b.settled, c.settled, d.settled]).toEqual([false, false, true, true]);
      sink.writes[0].commit();
      await waitUntil(() => a.settled && b.settled);
      expect([a.error, b.error]).toEqual([undefined, undefined]);
    });
  });

  describe('concurrency', () => {
    it('keeps at most MAX_CONCURRENT_FLUSHES writes in flight; due rows go as soon as one finishes', async () => {
      expect(MAX_CONCURRENT_FLUSHES).toBe(2);
      const sink = new HeldSink();
      const buffer = await createBuffer({}, sink);
      for (let i = 0; i < 3; i++) void buffer.add('metrics', frame(i * 10, 10));
      expect(sink.writes).toHaveLength(2);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 10, inFlightRows: 20 });
      sink.writes[0].commit();
      await waitUntil(() => sink.writes.length === 3);
      expect(sink.writes[2].rows).toEqual(frame(20, 10));
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, inFlightRows: 20, flushedRows: 10 });
    });

    it('flushes rows that came due by age while both slots were busy once a slot frees, with no timer meanwhile', async () => {
      jest.useFakeTimers();
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '20' }, sink);
      void buffer.add('metrics', frame(0, 10));
      void buffer.add('metrics', frame(10, 10));
      void buffer.add('metrics', [99]);
      await jest.advanceTimersByTimeAsync(60);
      expect(sink.writes).toHaveLength(2);
      expect(jest.getTimerCount()).toBe(0);
      sink.writes[1].commit();
      await jest.advanceTimersByTimeAsync(0);
      expect(sink.writes.map((write) => write.rows)).toEqual([frame(0, 10), frame(10, 10), [99]]);
    });
  });

  describe('failures', () => {
    it('keeps the rows of a failed write and retries the same batch until it commits', async () => {
      quietLogger();
      const sink = new HeldSink();
      const buffer = await createBuffer({}, sink);
      const added = track(buffer.add('metrics', frame(0, 10)));
      sink.writes[0].fail(new Error('connection refused'));
      await waitUntil(() => buffer.unhealthy);
      expect(buffer.stats().metrics).toMatchObject({ inFlightRows: 10, failedFlushes: 1, flushedRows: 0 });
      await waitUntil(() => sink.writes.length === 2);
      expect(sink.writes[1].rows).toEqual(frame(0, 10));
      sink.writes[1].fail(new Error('connection refused'));
      await waitUntil(() => sink.writes.length === 3);
      expect(added.settled).toBe(false);
      expect(buffer.stats().metrics.failedFlushes).toBe(2);
      sink.writes[2].commit();
      await waitUntil(() => added.settled);
      expect(added.error).toBeUndefined();
      expect(buffer.unhealthy).toBe(false);
      expect(buffer.stats().metrics).toEqual({ pendingRows: 0, inFlightRows: 0, flushedRows: 10, failedFlushes: 2, heldBytes: 0 });
      // Every write timed, by its outcome.
      const flushes = (await buffer.flushSeconds.get()).values.filter((v) => v.metricName === 'dockpulse_buffer_flush_seconds_count');
      expect(flushes.map((v) => [v.labels, v.value])).toEqual(
        expect.arrayContaining([
          [{ kind: 'metrics', outcome: 'failed' }, 2],
          [{ kind: 'metrics', outcome: 'ok' }, 1],
        ]),
      );
      expect(flushes).toHaveLength(2);
    });

    it('is unhealthy while any kind has failed since its last successful flush', async () => {
      quietLogger();
      const logs = new FlakySink(1, 'logs');
      const metrics = new RecordingSink('metrics');
      const buffer = await createBuffer({}, logs, metrics);
      const logged = buffer.add('logs', frame(0, 10));
      await waitUntil(() => logs.attempts.length === 1);
      await buffer.add('metrics', frame(0, 10));
      expect(buffer.unhealthy).toBe(true);
      await logged;
      expect(buffer.unhealthy).toBe(false);
    });

    it('backs off 100 ms doubling up to 5 s, with ±20% jitter', () => {
      expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffMs)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
      expect([0, 0.5, 1].map((random) => jittered(1000, () => random))).toEqual([800, 1000, 1200]);
    });

    it('waits the backoff before each retry, and logs once per failure streak and once on recovery', async () => {
      jest.useFakeTimers();
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      const sink = new FlakySink(3);
      const buffer = await createBuffer({}, sink);
      const { warn, log } = quietLogger();
      const added = track(buffer.add('metrics', frame(0, 10)));
      for (const [attempts, delay] of [[1, 100], [2, 200], [3, 400]]) {
        await jest.advanceTimersByTimeAsync(delay - 1);
        expect(sink.attempts).toHaveLength(attempts);
        await jest.advanceTimersByTimeAsync(1);
        expect(sink.attempts).toHaveLength(attempts + 1);
      }
      expect(added.settled).toBe(true);
      await buffer.add('metrics', frame(10, 10));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/metrics.*connection refused/);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(/metrics.*after 3 failed/);
    });
  });

  describe('memory bound', () => {
    it('rejects with BufferOverloadedError, holding nothing, when rows would pass BUFFER_LIMIT_ROWS', async () => {
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '25', BUFFER_FLUSH_MS: '50' }, new HeldSink());
      for (const rows of [frame(0, 10), frame(10, 10), frame(20, 5)]) void buffer.add('metrics', rows);
      const rejected = buffer.add('metrics', [1]);
      await expect(rejected).rejects.toThrow(BufferOverloadedError);
      await expect(rejected).rejects.toMatchObject({ retryAfterMs: 100 });
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 5, inFlightRows: 20 });
    });

    it('names the refusal a frame would get before it is read, only once the bound is reached', async () => {
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '20', BUFFER_FLUSH_MS: '300' }, new HeldSink());
      expect(buffer.refusalNow('metrics')).toBeUndefined();
      void buffer.add('metrics', frame(0, 15));
      // Room for 5 more rows: a frame must still be read, its size decides.
      expect(buffer.refusalNow('metrics')).toBeUndefined();
      void buffer.add('metrics', frame(15, 5));
      expect(buffer.refusalNow('metrics')).toMatchObject({ name: 'BufferOverloadedError', retryAfterMs: 300 });
      expect(buffer.refusalNow('unregistered')).toBeUndefined();
    });

    it('answers retryAfterMs = BUFFER_FLUSH_MS when that is over 100 ms', async () => {
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '10', BUFFER_FLUSH_MS: '300' }, new HeldSink());
      void buffer.add('metrics', frame(0, 10));
      await expect(buffer.add('metrics', [1])).rejects.toMatchObject({ name: 'BufferOverloadedError', retryAfterMs: 300 });
    });

    it('rejects when the byte estimates would pass BUFFER_LIMIT_BYTES', async () => {
      const buffer = await createBuffer({ BUFFER_LIMIT_BYTES: '2048' }, new HeldSink());
      void buffer.add('metrics', [1], 2000);
      await expect(buffer.add('metrics', [2], 100)).rejects.toThrow(BufferOverloadedError);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 1, heldBytes: 2000 });
      void buffer.add('metrics', [3], 48);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 2, heldBytes: 2048 });
    });

    it("rejects with BufferUnavailableError carrying the kind's current backoff while its flushes fail", async () => {
      jest.useFakeTimers();
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      quietLogger();
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '10' }, new FlakySink(Infinity));
      void buffer.add('metrics', frame(0, 10));
      await jest.advanceTimersByTimeAsync(0);
      await expect(buffer.add('metrics', [1])).rejects.toMatchObject({ name: 'BufferUnavailableError', retryAfterMs: 1000 });
      await jest.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 1600);
      expect(buffer.stats().metrics.failedFlushes).toBe(6);
      const rejected = buffer.add('metrics', [1]);
      await expect(rejected).rejects.toThrow(BufferUnavailableError);
      await expect(rejected).rejects.toMatchObject({ retryAfterMs: 3200 });
    });

    it('releases rows from the bound only when their write commits', async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({ BUFFER_LIMIT_ROWS: '10' }, sink);
      void buffer.add('metrics', frame(0, 10));
      await expect(buffer.add('metrics', [1])).rejects.toThrow(BufferOverloadedError);
      sink.writes[0].commit();
      await waitUntil(() => buffer.stats().metrics.flushedRows === 10);
      const again = track(buffer.add('metrics', [1]));
      await sleep(5);
      expect(again.error).toBeUndefined();
      expect(buffer.stats().metrics.pendingRows).toBe(1);
    });

    it.each([
      ['with REDIS_URL (instances share the database)', { REDIS_URL: 'redis://127.0.0.1:6379' }, MAX_CONCURRENT_FLUSHES_SHARED],
      ['with BUFFER_FLUSH_CONCURRENCY=3', { BUFFER_FLUSH_CONCURRENCY: '3' }, 3],
      ['with BUFFER_FLUSH_CONCURRENCY=2 beside REDIS_URL', { REDIS_URL: 'redis://127.0.0.1:6379', BUFFER_FLUSH_CONCURRENCY: '2' }, 2],
    ])('keeps the configured number of writes in flight %s', async (_, env, flights) => {
      const sink = new HeldSink();
      const buffer = await createBuffer(env, sink);
      for (let i = 0; i < 5; i++) void buffer.add('metrics', frame(i * 10, 10));
      expect(sink.writes).toHaveLength(flights);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: (5 - flights) * 10, inFlightRows: flights * 10 });
      sink.writes[0].commit();
      await waitUntil(() => sink.writes.length === flights + 1);
    });

    it.each([
      ['rows', { BUFFER_LIMIT_ROWS: '100', BUFFER_LIMIT_BYTES: '1000000' }, 14],
      ['bytes', { BUFFER_LIMIT_ROWS: '1000', BUFFER_LIMIT_BYTES: '4096' }, 13],
    ])('never holds more than the %s bound however much is offered while writes are stalled', async (_, env, fits) => {
      const sink = new HeldSink();
      const buffer = await createBuffer(env, sink);
      const offered = Array.from({ length: 1000 }, (_, i) => buffer.add('metrics', frame(i * 7, 7), 300).then(() => 'ok', (error) => error));
      const { metrics } = buffer.stats();
      expect(metrics.pendingRows + metrics.inFlightRows).toBe(fits * 7);
      expect(metrics.heldBytes).toBe(fits * 300);
      expect(sink.writes).toHaveLength(MAX_CONCURRENT_FLUSHES);
      const drained = track(buffer.drain());
      for (let committed = 0; !drained.settled; await sleep(1)) {
        while (committed < sink.writes.length) sink.writes[committed++].commit();
      }
      const outcomes = await Promise.all(offered);
      expect(outcomes.slice(0, fits)).toEqual(Array(fits).fill('ok'));
      expect(outcomes.slice(fits).every((outcome) => outcome instanceof BufferOverloadedError)).toBe(true);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, inFlightRows: 0, heldBytes: 0, flushedRows: fits * 7 });
    });
  });

  describe('drain and shutdown', () => {
    it('resolves at once when nothing is held', async () => {
      const buffer = await createBuffer({}, new RecordingSink());
      await expect(buffer.drain()).resolves.toBeUndefined();
    });

    it('flushes everything held without waiting for BUFFER_FLUSH_MS, including adds made during the drain', async () => {
      const [metrics, logs] = [new HeldSink('metrics'), new HeldSink('logs')];
      const buffer = await createBuffer({}, metrics, logs);
      void buffer.add('metrics', [1, 2, 3]);
      void buffer.add('logs', [4, 5]);
      const drained = track(buffer.drain());
      expect([metrics.writes.length, logs.writes.length]).toEqual([1, 1]);
      void buffer.add('metrics', [6]);
      expect(metrics.writes[1].rows).toEqual([6]);
      metrics.writes[0].commit();
      logs.writes[0].commit();
      await sleep(5);
      expect(drained.settled).toBe(false);
      metrics.writes[1].commit();
      await waitUntil(() => drained.settled);
      for (const kind of ['metrics', 'logs']) expect(buffer.stats()[kind]).toMatchObject({ pendingRows: 0, inFlightRows: 0 });
    });

    it('retries failed flushes during a drain until they commit', async () => {
      quietLogger();
      const sink = new FlakySink(2);
      const buffer = await createBuffer({}, sink);
      void buffer.add('metrics', [1, 2, 3]);
      await buffer.drain();
      expect(sink.attempts).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, inFlightRows: 0, failedFlushes: 2, flushedRows: 3 });
    });

    it('stops every timer on module destroy; drain still flushes what is held', async () => {
      quietLogger();
      const [metrics, logs] = [new FlakySink(1, 'metrics'), new RecordingSink('logs')];
      const buffer = await createBuffer({ BUFFER_FLUSH_MS: '20' }, metrics, logs);
      void buffer.add('metrics', frame(0, 10));
      void buffer.add('logs', [1]);
      await waitUntil(() => metrics.attempts.length === 1);
      buffer.onModuleDestroy();
      await sleep(300);
      expect([metrics.attempts.length, logs.batches.length]).toEqual([1, 0]);
      await buffer.drain();
      expect([metrics.batches, logs.batches]).toEqual([[frame(0, 10)], [[1]]]);
    });

    it('after module destroy, leaves a failed flush for drain to retry instead of arming a retry timer', async () => {
      jest.useFakeTimers();
      quietLogger();
      const sink = new FlakySink(1);
      const buffer = await createBuffer({}, sink);
      buffer.onModuleDestroy();
      void buffer.add('metrics', frame(0, 10));
      await jest.advanceTimersByTimeAsync(10_000);
      expect([sink.attempts.length, jest.getTimerCount()]).toEqual([1, 0]);
      await buffer.drain();
      expect(sink.batches).toEqual([frame(0, 10)]);
    });
  });
  describe('rows the database refuses', () => {
    it('splits a refused batch until the frame at fault stands alone: only it is rejected, every other frame commits', async () => {
      quietLogger();
      const sink = new RefusingSink();
      const buffer = await createBuffer({ BUFFER_MAX_ROWS: '9' }, sink);
      const frames = [[1, 2], [3, -4], [5, 6], [7, 8], [9]];
      const outcomes = frames.map((rows) => buffer.add('metrics', rows).then(() => 'ok', (error) => error));
      const [a, bad, c, d, e] = await Promise.all(outcomes);
      expect([a, c, d, e]).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(bad).toBeInstanceOf(BufferRefusedError);
      expect(bad.message).toMatch(/out of range for type integer/);
      expect(sink.batches.flat().sort((x, y) => x - y)).toEqual([1, 2, 5, 6, 7, 8, 9]);
      expect(sink.maxInFlight).toBe(1);
      expect(buffer.unhealthy).toBe(false);
      expect(buffer.stats().metrics).toEqual({ pendingRows: 0, inFlightRows: 0, flushedRows: 7, failedFlushes: 0, heldBytes: 0 });
    });

    it('finds several refused frames among many with a bounded number of writes, one extra at a time', async () => {
      quietLogger();
      const sink = new RefusingSink();
      const buffer = await createBuffer({ BUFFER_MAX_ROWS: '64' }, sink);
      const frames = Array.from({ length: 64 }, (_, i) => [i === 9 || i === 50 ? -i : i]);
      const outcomes = await Promise.all(frames.map((rows) => buffer.add('metrics', rows).then(() => 'ok', (error) => error)));
      expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([expect.any(BufferRefusedError), expect.any(BufferRefusedError)]);
      expect(outcomes[9]).toBeInstanceOf(BufferRefusedError);
      expect(outcomes[50]).toBeInstanceOf(BufferRefusedError);
      expect(sink.batches.flat()).toHaveLength(62);
      // Each refused frame costs at most two writes per halving (log2 64 = 6), plus the first.
      expect(sink.attempts.length).toBeLessThanOrEqual(1 + 2 * 2 * 6);
      expect(sink.maxInFlight).toBe(1);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, inFlightRows: 0, heldBytes: 0, flushedRows: 62 });
    });

    it('rejects a lone refused frame at once and keeps taking frames', async () => {
      quietLogger();
      const sink = new RefusingSink();
      const buffer = await createBuffer({}, sink);
      await expect(buffer.add('metrics', frame(-10, 10))).rejects.toBeInstanceOf(BufferRefusedError);
      await expect(buffer.add('metrics', frame(0, 10))).resolves.toBeUndefined();
      expect(sink.attempts).toHaveLength(2);
    });

    it.each([
      ['deadlock_detected', '40P01'],
      ['serialization_failure', '40001'],
      ['lock_not_available', '55P03'],
      ['too_many_connections', '53300'],
      ['admin_shutdown', '57P01'],
    ])('retries a flush that failed with %s (%s) instead of refusing its rows', async (_name, code) => {
      quietLogger();
      const sink = new RefusingSink();
      sink.failAt.set(1, sqlError(code, 'transient'));
      const buffer = await createBuffer({}, sink);
      await expect(buffer.add('metrics', frame(0, 10))).resolves.toBeUndefined();
      expect(sink.attempts).toEqual([frame(0, 10), frame(0, 10)]);
      expect(buffer.stats().metrics).toMatchObject({ flushedRows: 10, failedFlushes: 1 });
    });

    it('retries a part of a split that fails for a transient reason, then commits it', async () => {
      quietLogger();
      const sink = new RefusingSink();
      // The first half of the split (frames [1, 2] and [-3]) hits a deadlock before it is refused in turn.
      sink.failAt.set(2, sqlError('40P01', 'deadlock detected'));
      const buffer = await createBuffer({ BUFFER_MAX_ROWS: '5' }, sink);
      const outcomes = [[1, 2], [-3], [4, 5]].map((rows) => buffer.add('metrics', rows).then(() => 'ok', (error) => error));
      const [first, bad, last] = await Promise.all(outcomes);
      expect([first, last]).toEqual(['ok', 'ok']);
      expect(bad).toBeInstanceOf(BufferRefusedError);
      expect(sink.batches).toEqual([[4, 5], [1, 2]]);
      expect(sink.attempts.slice(0, 2)).toEqual([[1, 2, -3, 4, 5], [1, 2, -3]]);
      expect(buffer.stats().metrics).toMatchObject({ pendingRows: 0, inFlightRows: 0, heldBytes: 0, flushedRows: 4, failedFlushes: 1 });
    });
  });

  describe('drain with a deadline', () => {
    it('gives up at the deadline on writes that hang: their frames are rejected, never resolved, and nothing is held', async () => {
      const sink = new HeldSink();
      const buffer = await createBuffer({}, sink);
      const held = [frame(0, 10), [10], [11]].map((rows) => track(buffer.add('metrics', rows, 100)));
      const started = performance.now();
      await buffer.drain(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      await waitUntil(() => held.every((state) => state.settled));
      for (const state of held) expect(state.error).toBeInstanceOf(BufferClosedError);
      expect(buffer.stats().metrics).toEqual({ pendingRows: 0, inFlightRows: 0, flushedRows: 0, failedFlushes: 0, heldBytes: 0 });
      // A write that was hanging and commits after all changes no count and acknowledges nothing.
      for (const write of sink.writes) write.commit();
      await sleep(5);
      expect(buffer.stats().metrics).toEqual({ pendingRows: 0, inFlightRows: 0, flushedRows: 0, failedFlushes: 0, heldBytes: 0 });
      await expect(buffer.add('metrics', [1])).rejects.toBeInstanceOf(BufferClosedError);
    });

    it('gives up at the deadline while the database is down, with its retries cancelled', async () => {
      jest.useFakeTimers();
      quietLogger();
      const sink = new FlakySink(Infinity);
      const buffer = await createBuffer({}, sink);
      buffer.onModuleDestroy();
      const held = track(buffer.add('metrics', [1, 2, 3]));
      const drained = track(buffer.drain(5_000));
      await jest.advanceTimersByTimeAsync(4_999);
      expect([drained.settled, held.settled]).toEqual([false, false]);
      await jest.advanceTimersByTimeAsync(1);
      expect([drained.settled, held.settled]).toEqual([true, true]);
      expect(held.error).toBeInstanceOf(BufferClosedError);
      const attempts = sink.attempts.length;
      await jest.advanceTimersByTimeAsync(60_000);
      expect(sink.attempts).toHaveLength(attempts);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('resolves as soon as everything commits, before the deadline, abandoning nothing', async () => {
      jest.useFakeTimers();
      const sink = new RecordingSink();
      const buffer = await createBuffer({}, sink);
      const added = buffer.add('metrics', [1, 2]);
      await buffer.drain(60_000);
      await expect(added).resolves.toBeUndefined();
      await expect(buffer.add('metrics', frame(3, 10))).resolves.toBeUndefined();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
