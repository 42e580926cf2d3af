import { COPY_PIECE_BYTES, copyWriter, isCopyable } from './copy-text.js';

const text = (pieces: Buffer[]) => Buffer.concat(pieces).toString();

describe('COPY text format', () => {
  it('prints numbers, ids and timestamps as they are, null as \\N and booleans as t/f', () => {
    const rows = [
      { id: '6f1c0c6e-2f59-4a8e-9d39-3f1f0b7e3b6a', ts: '2026-12-01T10:00:00.123Z', cpu: 12.5, big: 9_007_199_254_740_991, on: true },
      { id: '00000000-0000-4000-8000-000000000001', ts: '2026-12-01T10:00:01.000Z', cpu: 1e-7, big: 0, on: false },
      { id: '00000000-0000-4000-8000-000000000002', ts: '2026-12-01T10:00:02.000Z', cpu: null, big: undefined, on: null },
    ];
    const write = copyWriter({ id: 'uuid', ts: 'timestamptz', cpu: 'float8', big: 'int8', on: 'bool' });
    expect(text(write(rows))).toBe(
      '6f1c0c6e-2f59-4a8e-9d39-3f1f0b7e3b6a\t2026-12-01T10:00:00.123Z\t12.5\t9007199254740991\tt\n' +
        '00000000-0000-4000-8000-000000000001\t2026-12-01T10:00:01.000Z\t1e-7\t0\tf\n' +
        '00000000-0000-4000-8000-000000000002\t2026-12-01T10:00:02.000Z\t\\N\t\\N\t\\N\n',
    );
  });

  it('escapes what would end a value or a line, so a stray character cannot shift columns', () => {
    const write = copyWriter({ id: 'uuid', n: 'int8' });
    expect(text(write([{ id: 'a\tb\nc\rd\\e', n: '\\N' }]))).toBe('a\\tb\\nc\\rd\\\\e\t\\\\N\n');
    expect(text(write([{ id: 'x\ty', n: 'not\na number' }]))).toBe('x\\ty\tnot\\na number\n');
    expect(text(write([{ id: 'é\t漢\n😀\\', n: 1 }]))).toBe('é\\t漢\\n😀\\\\\t1\n');
  });

  it('prints every number as JavaScript does', () => {
    const values = [0, -0, 7, -7, 10, 100, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, 0.1, -1.5e-7, 123456.789];
    const write = copyWriter({ v: 'float8' });
    expect(text(write(values.map((v) => ({ v }))))).toBe(values.map((v) => `${v}\n`).join(''));
  });

  it('refuses a column type it cannot write, and names quoted as they are', () => {
    expect(() => copyWriter({ line: 'text' })).toThrow('Column line of type text cannot be written as COPY text');
    expect(text(copyWriter({ "it's \"odd\"": 'int4' })([{ "it's \"odd\"": 7 }]))).toBe('7\n');
  });

  it('writes a long input as pieces of about COPY_PIECE_BYTES that together are the whole text', () => {
    const rows = Array.from({ length: 20_000 }, (_, n) => ({ id: n % 1000 ? `id-${n}` : `é漢😀-${n}`, n }));
    const pieces = copyWriter({ id: 'uuid', n: 'int8' })(rows);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(COPY_PIECE_BYTES);
    const lines = text(pieces).split('\n');
    expect(lines).toHaveLength(20_001);
    expect(lines[19_999]).toBe('id-19999\t19999');
    expect(lines[19_000]).toBe('é漢😀-19000\t19000');
    const long = 'x'.repeat(100_000);
    expect(text(copyWriter({ id: 'uuid' })([{ id: 'a' }, { id: long }, { id: 'b' }]))).toBe(`a\n${long}\nb\n`);
  });

  it('takes only column types whose values JavaScript prints as PostgreSQL reads them', () => {
    expect(isCopyable(['uuid', 'timestamptz', 'float8', 'int8', 'int4', 'bool'])).toBe(true);
    expect(isCopyable(['uuid', 'text'])).toBe(false);
    expect(isCopyable(['jsonb'])).toBe(false);
  });
});
