// A small seeded PRNG (mulberry32): every case is derived from (seed, case index) alone, so one
// failing case can be replayed without running the ones before it.
import { randomInt } from 'node:crypto';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed for case `index` of the run seeded `seed` (splitmix-style mixing). */
export function caseSeed(seed, index) {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export const randomSeed = () => randomInt(1, 2 ** 31);

export class Rng {
  constructor(seed) {
    this.float = mulberry32(seed);
  }

  /** An integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p) {
    return this.float() < p;
  }

  pick(items) {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks from `[[weight, value], …]`. */
  weighted(pairs) {
    let roll = this.float() * pairs.reduce((sum, [w]) => sum + w, 0);
    for (const [w, value] of pairs) if ((roll -= w) < 0) return value;
    return pairs[pairs.length - 1][1];
  }

  hex(length) {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(0, 15)];
    return out;
  }

  /** `count` distinct items of `items` (fewer when it has fewer). */
  sample(items, count) {
    const pool = [...items];
    const out = [];
    while (out.length < count && pool.length) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}
