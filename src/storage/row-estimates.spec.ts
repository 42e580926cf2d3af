import { catalogEstimate, EXACT_COUNT_BUDGET_BYTES, EXACT_COUNT_MAX_BYTES, planRowsByRelation, plannerEstimate, relationsToCount } from './row-estimates.js';

describe('row estimates', () => {
  it('scales the analyzed density to the current size, and knows an empty heap', () => {
    expect(catalogEstimate({ heapPages: 200, reltuples: 10_000, relpages: 100 })).toBe(20_000);
    expect(catalogEstimate({ heapPages: 0, reltuples: -1, relpages: 0 })).toBe(0);
    expect(catalogEstimate({ heapPages: 5, reltuples: -1, relpages: 0 })).toBeUndefined();
  });

  it("undoes the planner's ten-page guess for small never-analyzed relations", () => {
    expect(plannerEstimate(1_000, { heapPages: 2, reltuples: -1, relpages: 0 })).toBe(200);
    expect(plannerEstimate(1_000, { heapPages: 40, reltuples: -1, relpages: 0 })).toBe(1_000);
    expect(plannerEstimate(1_000, { heapPages: 2, reltuples: 0, relpages: 0 })).toBe(1_000);
  });

  it('counts the small relations, smallest first, within the budget', () => {
    const r = (name: string, heapBytes: number) => ({ name, heapBytes });
    expect([...relationsToCount([r('big', EXACT_COUNT_MAX_BYTES + 1), r('a', 8192), r('b', 0)])].sort()).toEqual(['a', 'b']);
    const max = EXACT_COUNT_MAX_BYTES;
    expect(EXACT_COUNT_BUDGET_BYTES).toBe(4 * max);
    expect(relationsToCount([r('v', max), r('w', 10), r('x', max), r('y', max), r('z', max)])).toEqual(new Set(['w', 'v', 'x', 'y']));
  });

  it('reads the plan rows of every scanned relation in an EXPLAIN (FORMAT JSON)', () => {
    const plan = [{ Plan: { 'Node Type': 'Append', 'Plan Rows': 30, Plans: [{ 'Relation Name': 'a', 'Plan Rows': 10 }, { 'Relation Name': 'b', 'Plan Rows': 20 }] } }];
    expect(planRowsByRelation(plan)).toEqual(new Map([['a', 10], ['b', 20]]));
    expect(planRowsByRelation(JSON.stringify(plan)).get('b')).toBe(20);
  });
});
