import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessRepository } from '../access/access.repository.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import type { LogKey } from './log-cursor.js';
import { LogsQueryRepository, type LogFilter, type LogLineRow, type WalkResult } from './logs-query.repository.js';
import { LogsQueryService } from './logs-query.service.js';

const CONTAINER = '0b6f7f9e-3c1a-4f55-9a53-5d1a2b3c4d5e';
const compare = (a: LogKey, b: LogKey) =>
  a.ts.localeCompare(b.ts) || a.nanos - b.nanos || a.stream.localeCompare(b.stream) || a.n - b.n || a.lineHash.localeCompare(b.lineHash);

/**
 * The repository's session over lines in memory, with the SQL's semantics (newest first, strictly
 * below `after`, ILIKE as a case-insensitive substring), recording which steps the service took.
 */
class FakeLogs {
  steps: string[] = [];
  constructor(private readonly rows: LogLineRow[]) {
    rows.sort((a, b) => compare(b, a));
  }

  private matching(filter: LogFilter, withPattern: boolean): LogLineRow[] {
    const term = filter.pattern?.slice(1, -1).toLowerCase();
    return this.rows.filter(
      (row) =>
        Date.parse(row.ts) >= filter.from.getTime() &&
        Date.parse(row.ts) < filter.to.getTime() &&
        (!filter.stream || row.stream === filter.stream) &&
        (!filter.after || compare(row, filter.after) < 0) &&
        (!withPattern || term === undefined || row.line.toLowerCase().includes(term)),
    );
  }

  readonly repository = {
    session: async <T>(fn: (session: unknown) => Promise<T>) =>
      fn({
        walk: async (filter: LogFilter, budget: number | null, want: number): Promise<WalkResult> => {
          this.steps.push(`walk ${budget}`);
          const walked = this.matching(filter, false).slice(0, budget ?? undefined);
          const term = filter.pattern?.slice(1, -1).toLowerCase();
          const hits = walked.filter((row) => term === undefined || row.line.toLowerCase().includes(term));
          return { hits: hits.slice(0, want), first: walked[0] ?? null, edge: budget !== null && walked.length === budget ? walked[budget - 1] : null };
        },
        trigram: async (filter: LogFilter, want: number) => {
          this.steps.push('trigram');
          return this.matching(filter, true).slice(0, want);
        },
      }),
  };
}

const NOW = Date.now();
/** `count` lines, one per 10 ms back from a minute ago; every `every`-th one says "deadlock". */
function lines(count: number, every: number): LogLineRow[] {
  return Array.from({ length: count }, (_, i) => ({
    ts: new Date(NOW - 60_000 - i * 10).toISOString().replace('Z', '000Z'),
    nanos: i % 3,
    stream: i % 2 ? 'stdout' : 'stderr',
    n: (i % 4) - 1,
    lineHash: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    line: i % every === every - 1 ? `worker ${i}: DEADLOCK detected` : `GET /api/items/${i} 200`,
    truncated: false,
  }));
}

async function serviceOver(fake: FakeLogs): Promise<LogsQueryService> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      LogsQueryService,
      { provide: LogsQueryRepository, useValue: fake.repository },
      { provide: AccessRepository, useValue: { ownedContainers: async (_: string, ids: Iterable<string>) => new Set([...ids].filter((id) => id === CONTAINER)) } },
      { provide: TelemetryKinds, useValue: { retentionMs: () => 86_400_000 } },
    ],
  }).compile();
  return moduleRef.get(LogsQueryService);
}

/** Every line of every page, following nextCursor. */
async function readAll(service: LogsQueryService, query: Record<string, unknown>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.search('org', CONTAINER, { ...query, cursor });
    seen.push(...page.items.map((item) => item.line));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe('LogsQueryService', () => {
  it('finds a common term by walking, and a rare one through the trigram index after a first walk', async () => {
    const common = new FakeLogs(lines(10_000, 4));
    expect((await (await serviceOver(common)).search('org', CONTAINER, { q: 'deadlock', limit: 100 })).items).toHaveLength(100);
    expect(common.steps).toEqual(['walk 2000']);

    const rare = new FakeLogs(lines(10_000, 3_000));
    const page = await (await serviceOver(rare)).search('org', CONTAINER, { q: 'deadlock', limit: 100 });
    expect(page.items.map((item) => item.line)).toEqual(['worker 2999: DEADLOCK detected', 'worker 5999: DEADLOCK detected', 'worker 8999: DEADLOCK detected']);
    expect(page.nextCursor).toBeNull();
    expect(rare.steps).toEqual(['walk 2000', 'trigram']);
  });

  it.each([
    ['no term', {}, 3_000, 250],
    ['a common term', { q: 'deadlock' }, 750, 60],
    ['a rare term', { q: 'DeadLock' }, 3, 2],
    ['a term only the walk can look for', { q: ': d' }, 750, 100],
  ])('pages through %s returning every matching line exactly once, newest first', async (_, query, expected, limit) => {
    const every = expected === 3 ? 1_000 : 4;
    const fake = new FakeLogs(lines(3_000, every));
    const all = lines(3_000, every).filter((row) => !('q' in query) || row.line.includes('DEADLOCK'));
    expect(all).toHaveLength(expected);
    expect(await readAll(await serviceOver(fake), { ...query, limit })).toEqual(all.map((row) => row.line));
  });

  it('keeps a stream filter on every step', async () => {
    const fake = new FakeLogs(lines(10_000, 1_000));
    const found = await readAll(await serviceOver(fake), { q: 'deadlock', stream: 'stdout', limit: 3 });
    expect(found).toEqual(lines(10_000, 1_000).filter((row) => row.stream === 'stdout' && row.line.includes('DEADLOCK')).map((row) => row.line));
    expect(found).toHaveLength(10);
    expect(await readAll(await serviceOver(fake), { q: 'deadlock', stream: 'stderr', limit: 3 })).toEqual([]);
  });

  it('answers 404 for a container of another organization, 503 when the search times out', async () => {
    const fake = new FakeLogs([]);
    const service = await serviceOver(fake);
    await expect(service.search('org', '1b6f7f9e-3c1a-4f55-9a53-5d1a2b3c4d5e', {})).rejects.toThrow(NotFoundException);
    fake.repository.session = async () => Promise.reject(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
    await expect(service.search('org', CONTAINER, { q: 'x' })).rejects.toThrow(ServiceUnavailableException);
  });
});
