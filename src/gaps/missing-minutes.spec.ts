import { missingMinutes } from './missing-minutes.js';

const M = 60_000;
const H = 60 * M;
const T = Date.UTC(2026, 10, 30, 10);
const bits = (...minutes: number[]) => minutes.reduce((mask, m) => mask | (1n << BigInt(m)), 0n);
const all = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('missingMinutes', () => {
  it('reads an hour without a row as missing, a full hour as present, and spans across hours as one', () => {
    const hours = new Map([
      [T, bits(...all(0, 58))],
      [T + 2 * H, bits(...all(0, 60))],
      [T + 3 * H, bits(...all(5, 60))],
    ]);
    expect(missingMinutes(hours, T, T + 4 * H)).toEqual([
      { from: T + 58 * M, to: T + 2 * H },
      { from: T + 3 * H, to: T + 3 * H + 5 * M },
    ]);
  });

  it('keeps to the range, which may start and end inside an hour', () => {
    const hours = new Map([[T, bits(10, 11, 20)]]);
    expect(missingMinutes(hours, T + 9 * M, T + 21 * M)).toEqual([
      { from: T + 9 * M, to: T + 10 * M },
      { from: T + 12 * M, to: T + 20 * M },
    ]);
    expect(missingMinutes(hours, T + 10 * M, T + 12 * M)).toEqual([]);
  });
});
