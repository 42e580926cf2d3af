import { MAX_JSON_DEPTH, nestsDeeperThan, verifyJsonBody } from './json-depth.js';

const bytes = (text: string) => Buffer.from(text);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, up to and past the limit', () => {
    expect(nestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(nestsDeeperThan(bytes('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
    expect(nestsDeeperThan(bytes('[[],[],[],[]]'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(bytes(JSON.stringify({ line: '[[[[{{{{' })), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(JSON.stringify({ line: 'say "[[[[" \\ ok' })), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(JSON.stringify({ line: 'quote " then', more: [[1]] })), 2)).toBe(true);
    expect(nestsDeeperThan(bytes(JSON.stringify({ path: 'C:\\', more: [[1]] })), 2)).toBe(true);
    expect(nestsDeeperThan(bytes(JSON.stringify({ path: 'C:\\"', more: [[1]] })), 2)).toBe(true);
  });
});

describe('verifyJsonBody', () => {
  it('refuses 5,000 levels with a 400 naming the limit', () => {
    expect(() => verifyJsonBody(null, null, bytes('['.repeat(5000) + ']'.repeat(5000)), 'utf-8')).toThrow(
      expect.objectContaining({ status: 400, message: `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels` }),
    );
  });

  it('refuses other encodings than UTF-8 with 415', () => {
    expect(() => verifyJsonBody(null, null, Buffer.from('{}', 'utf16le'), 'utf-16le')).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('scans a 1 MiB body in a few milliseconds', () => {
    const body = bytes(JSON.stringify({ data: Array.from({ length: 5000 }, (_, i) => ({ line: `line ${i} ${'x'.repeat(180)}`, n: i })) }));
    for (let i = 0; i < 5; i++) verifyJsonBody(null, null, body, 'utf-8');
    const started = performance.now();
    for (let i = 0; i < 10; i++) verifyJsonBody(null, null, body, 'utf-8');
    console.log(`depth scan: ${((performance.now() - started) / 10).toFixed(2)} ms for ${(body.length / 1048576).toFixed(2)} MiB`);
  });
});
