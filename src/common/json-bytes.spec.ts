import { findLongArrays, parseJsonBytes } from './json-bytes.js';

const item = (n: number, extra = '') => `{"containerId":"c${n}","ts":${1_700_000_000_000 + n},"cpuPercent":${n % 100}.5,"line":"${extra}"}`;
const frame = (count: number, extra = (_n: number) => '') => `{"type":"metrics","seq":7,"data":[${Array.from({ length: count }, (_, n) => item(n, extra(n))).join(',')}]}`;

/** What parseJsonBytes must always agree with: the value, or that it throws a SyntaxError. */
function plain(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return error instanceof SyntaxError ? 'SyntaxError' : error;
  }
}
function pieces(text: string): unknown {
  try {
    return parseJsonBytes(Buffer.from(text));
  } catch (error) {
    return error instanceof SyntaxError ? 'SyntaxError' : error;
  }
}

describe('parseJsonBytes', () => {
  it('cuts a large frame\'s data array into pieces and parses it to exactly what JSON.parse gives', () => {
    const text = frame(3_000);
    const found = findLongArrays(Buffer.from(text));
    expect(found?.arrays).toHaveLength(1);
    expect(found!.arrays[0].cuts.length).toBeGreaterThan(3);
    expect(pieces(text)).toEqual(JSON.parse(text));
  });

  it('leaves small messages and messages without a long array to JSON.parse', () => {
    expect(findLongArrays(Buffer.from(frame(10)))).toBeUndefined();
    expect(findLongArrays(Buffer.from(`[${frame(3_000)}]`))).toBeUndefined();
    const longString = `{"type":"logs","data":"${'x'.repeat(300_000)}"}`;
    expect(findLongArrays(Buffer.from(longString))).toBeUndefined();
    expect(pieces(longString)).toEqual(JSON.parse(longString));
  });

  it('is not misled by brackets, commas, quotes, escapes and multi-byte characters inside strings', () => {
    const tricky = ['],{\\"x\\":[', '\\"],[', '\\\\', 'é漢😀', '\\u005d,', ',,,'];
    const text = frame(3_000, (n) => tricky[n % tricky.length]);
    expect(pieces(text)).toEqual(JSON.parse(text));
    const nested = `{"data":[${Array.from({ length: 3_000 }, (_, n) => `{"a":[${n},[${n}],{"b":[",",${n}]}]}`).join(',')}],"seq":1}`;
    expect(findLongArrays(Buffer.from(nested))?.arrays[0].cuts.length).toBeGreaterThan(0);
    expect(pieces(nested)).toEqual(JSON.parse(nested));
  });

  it('keeps JSON.parse\'s meaning of repeated keys, escaped keys and a key named __proto__', () => {
    const data = `[${Array.from({ length: 3_000 }, (_, n) => item(n)).join(',')}]`;
    for (const text of [
      `{"data":${data},"data":[1]}`,
      `{"data":[1],"data":${data}}`,
      `{"data":${data},"d\\u0061ta":"last"}`,
      `{"__proto__":${data},"type":"x"}`,
      `{"a":${data},"b":${data}}`,
    ]) {
      const parsed = pieces(text) as Record<string, unknown>;
      expect(parsed).toEqual(plain(text));
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    }
  });

  it('throws a SyntaxError wherever JSON.parse does', () => {
    const good = frame(3_000);
    for (const text of [
      good.replace('},{', '},,{'),
      good.replace(/\]\}$/, ',]}'),
      good.replace('"data":[{', '"data":[,{'),
      good.replace(/\]\}$/, '}}'),
      good.slice(0, -2),
      `${good}]`,
      good.replace('"cpuPercent":7.5', '"cpuPercent":7.5.1'),
      `${good} ${good}`,
    ]) {
      expect(pieces(text)).toBe('SyntaxError');
    }
  });

  it('agrees with JSON.parse on hundreds of random corruptions of a large frame', () => {
    const good = frame(2_500, (n) => (n % 7 ? '' : '],\\",\\"{'));
    const alphabet = '[]{},:"\\ 0a';
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    let agreedValid = 0;
    for (let round = 0; round < 600; round++) {
      const at = random(good.length);
      const text = round % 2 ? `${good.slice(0, at)}${alphabet[random(alphabet.length)]}${good.slice(at + 1)}` : `${good.slice(0, at)}${good.slice(at + 1)}`;
      const expected = plain(text);
      // Compared as JSON text: the same keys in the same order, and far quicker than a deep toEqual.
      expect(JSON.stringify(pieces(text))).toBe(JSON.stringify(expected));
      if (expected !== 'SyntaxError') agreedValid++;
    }
    // Many corruptions land inside a string or a number and leave valid JSON: both kinds are covered.
    expect(agreedValid).toBeGreaterThan(30);
  });
});
