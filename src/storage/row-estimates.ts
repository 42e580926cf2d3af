/** What the catalog says about one relation's heap: enough to estimate its rows without reading it. */
export interface HeapStats {
  heapPages: number;
  /** -1 until the relation is first analyzed (PostgreSQL 14+). */
  reltuples: number;
  relpages: number;
}

/** Relations up to this heap size are counted exactly (a few milliseconds at most)... */
export const EXACT_COUNT_MAX_BYTES = 4 << 20;
/** ...smallest first, until this much heap has been read in one request; the rest are estimated. */
export const EXACT_COUNT_BUDGET_BYTES = 16 << 20;
/** The planner assumes a never-analyzed relation has at least this many pages. */
const PLANNER_MIN_PAGES = 10;

/**
 * The relations to count exactly: the small ones, smallest first, within a total budget, so the
 * cost stays bounded however many partitions there are.
 */
export function relationsToCount<T extends { name: string; heapBytes: number }>(relations: T[]): Set<string> {
  const chosen = new Set<string>();
  let budget = EXACT_COUNT_BUDGET_BYTES;
  for (const r of [...relations].sort((a, b) => a.heapBytes - b.heapBytes)) {
    if (r.heapBytes > EXACT_COUNT_MAX_BYTES || r.heapBytes > budget) break;
    budget -= r.heapBytes;
    chosen.add(r.name);
  }
  return chosen;
}

/**
 * The planner's own formula where the statistics allow it: the tuple density of the last ANALYZE
 * or VACUUM times the current number of pages, so a partition that grew since is still right.
 * Undefined when the relation has never been analyzed: ask the planner (plannerEstimate).
 */
export function catalogEstimate(stats: HeapStats): number | undefined {
  if (stats.heapPages === 0) return 0;
  if (stats.reltuples >= 0 && stats.relpages > 0) return Math.round((stats.reltuples / stats.relpages) * stats.heapPages);
  return undefined;
}

/**
 * The planner's estimate (density from the column widths when there are no statistics), undoing
 * its "never vacuumed" guess of at least ten pages, which would turn one page of rows into ten.
 */
export function plannerEstimate(planRows: number, stats: HeapStats): number {
  if (stats.reltuples < 0 && stats.heapPages < PLANNER_MIN_PAGES) return Math.round((planRows * stats.heapPages) / PLANNER_MIN_PAGES);
  return Math.round(planRows);
}

/** The "Plan Rows" of every scan node of an EXPLAIN (FORMAT JSON) result, by relation name. */
export function planRowsByRelation(explain: unknown): Map<string, number> {
  const rows = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record['Relation Name'] === 'string' && typeof record['Plan Rows'] === 'number') {
      rows.set(record['Relation Name'], record['Plan Rows']);
    }
    visit(record.Plan);
    visit(record.Plans);
  };
  visit(typeof explain === 'string' ? JSON.parse(explain) : explain);
  return rows;
}
