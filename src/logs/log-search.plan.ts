/**
 * How a log search finds its page, decided from what the search has seen so far rather than from
 * planner statistics (which may be missing: autovacuum can be off, and a bulk load is not
 * analyzed). Two ways to find the newest matching lines below a key:
 * - walk: the primary key backwards, testing each line, stopping at the page size. Cost grows with
 *   the lines walked, so it suits terms that are common (or no term at all).
 * - trigram: the trigram index gives every matching line of the container in the range, which are
 *   then sorted. Cost grows with the matches, so it suits rare terms.
 * A search first walks a few thousand lines; the share that matched estimates which way is cheaper.
 */

/** Lines walked before the first decision. */
export const FIRST_WALK_ROWS = 2_000;
/** After this many walks the estimates are not converging: hand over to the trigram index. */
export const MAX_WALKS = 5;
/** Walks this short (tens of milliseconds) always beat an index lookup, which reads whole posting lists. */
export const CHEAP_WALK_ROWS = 20_000;
/**
 * What a line found through the index costs, in lines walked: posting lists of the term's common
 * trigrams, a random heap read and a recheck per candidate, then a sort (measured on PostgreSQL 15).
 */
export const INDEX_ROW_COST = 10;

export type SearchStep = { kind: 'walk'; budget: number | null } | { kind: 'trigram' };

export interface SearchProgress {
  /** Whether the term has a trigram (three letters or digits in a row) the index can look up. */
  indexable: boolean;
  /** Walks done so far. */
  walks: number;
  /** Lines walked and lines of them that matched, over all walks. */
  walked: number;
  matched: number;
  /** Matching lines still needed for the page. */
  needed: number;
  /** Time covered by the lines walked, and from the last one down to `from`. */
  walkedSpanMs: number;
  remainingSpanMs: number;
}

export function hasTrigram(q: string): boolean {
  return /[\p{L}\p{N}]{3}/u.test(q);
}

/** The first step: without a term every line matches, so a walk of the page size is all it takes. */
export function firstStep(needed: number, q: string | undefined): SearchStep {
  if (q === undefined) return { kind: 'walk', budget: needed };
  return { kind: 'walk', budget: Math.max(FIRST_WALK_ROWS, 2 * needed) };
}

/** The step after a walk that used its whole budget without filling the page. */
export function nextStep(p: SearchProgress): SearchStep {
  if (!p.indexable) return { kind: 'walk', budget: null };
  if (p.matched === 0 || p.walks >= MAX_WALKS) return { kind: 'trigram' };
  // At the match rate seen so far: lines still to walk, and matches the index would fetch and sort
  // (matches seen per millisecond times the range left).
  const walkRows = (p.needed * p.walked) / p.matched;
  const indexRows = (p.matched * p.remainingSpanMs) / Math.max(p.walkedSpanMs, 1);
  if (walkRows > Math.max(CHEAP_WALK_ROWS, INDEX_ROW_COST * indexRows)) return { kind: 'trigram' };
  // Some slack, so that a rate slightly lower than estimated still fills the page in one walk.
  return { kind: 'walk', budget: Math.ceil(walkRows * 1.5) + 100 };
}
