import { FIRST_WALK_ROWS, firstStep, hasTrigram, MAX_WALKS, nextStep, type SearchProgress } from './log-search.plan.js';

const HOUR = 3_600_000;
// 2,000 lines walked covering 2 minutes, 22 h of range left below them: about 1.3 M lines.
const progress = (overrides: Partial<SearchProgress>): SearchProgress => ({
  indexable: true,
  walks: 1,
  walked: FIRST_WALK_ROWS,
  matched: 0,
  needed: 101,
  walkedSpanMs: 120_000,
  remainingSpanMs: 22 * HOUR,
  ...overrides,
});

describe('log search plan', () => {
  it('walks exactly one page when there is no term, and a few thousand lines first when there is one', () => {
    expect(firstStep(101, undefined)).toEqual({ kind: 'walk', budget: 101 });
    expect(firstStep(101, 'get')).toEqual({ kind: 'walk', budget: FIRST_WALK_ROWS });
    expect(firstStep(5001, 'get')).toEqual({ kind: 'walk', budget: 10_002 });
  });

  it('uses the trigram index for a term the first walk did not find', () => {
    expect(nextStep(progress({ matched: 0 }))).toEqual({ kind: 'trigram' });
  });

  it('keeps walking, with slack, while that is cheap or cheaper than the index', () => {
    // 1 %: 8,100 more lines to walk, a few tens of milliseconds.
    expect(nextStep(progress({ matched: 20, needed: 81 }))).toEqual({ kind: 'walk', budget: 12_250 });
    // 0.4 %: 25,000 lines to walk, against ~5,300 matches for the index to fetch and sort.
    expect(nextStep(progress({ matched: 8, needed: 100 }))).toEqual({ kind: 'walk', budget: 37_600 });
  });

  it('switches to the index when walking would cost more than the index', () => {
    // 1 in 2,000: 100 × 2,000 lines to walk, against ~660 matches.
    expect(nextStep(progress({ matched: 1, needed: 100 }))).toEqual({ kind: 'trigram' });
    // Little range left below the walk: the index has only a few lines to return.
    expect(nextStep(progress({ matched: 8, needed: 100, remainingSpanMs: 60_000 }))).toEqual({ kind: 'trigram' });
  });

  it('stops estimating after a few walks', () => {
    expect(nextStep(progress({ matched: 500, needed: 501, walks: MAX_WALKS }))).toEqual({ kind: 'trigram' });
  });

  it('walks to the end when the term has no trigram the index could use', () => {
    expect(hasTrigram('ab')).toBe(false);
    expect(hasTrigram('a_b%c')).toBe(false);
    expect(hasTrigram('500')).toBe(true);
    expect(hasTrigram('Straße')).toBe(true);
    expect(nextStep(progress({ indexable: false, matched: 0 }))).toEqual({ kind: 'walk', budget: null });
  });
});
