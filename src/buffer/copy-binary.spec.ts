import { binaryCopyWriter } from './copy-binary.js';

const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const bytes = (pieces: Buffer[] | undefined) => Buffer.concat(pieces!);
const field = (hex: string) => {
  const value = Buffer.from(hex, 'hex');
  const length = Buffer.alloc(4);
  length.writeInt32BE(value.length);
  return Buffer.concat([length, value]);
};

describe('COPY binary format', () => {
  const write = binaryCopyWriter({ id: 'uuid', ts: 'timestamptz', cpu: 'float8', big: 'int8', n: 'int4', on: 'bool' }, 64 * 1024);

  it('writes the signature, each row as its fields in network order, and the trailer', () => {
    const out = bytes(write([{ id: '6f1c0c6e-2f59-4a8e-9d39-3f1f0b7e3b6a', ts: '2000-01-01T00:00:01.5Z', cpu: 12.5, big: -2, n: 7, on: true }]));
    const cpu = Buffer.alloc(8);
    cpu.writeDoubleBE(12.5);
    expect(out).toEqual(
      Buffer.concat([
        HEADER,
        Buffer.alloc(8), // flags, header extension
        Buffer.from([0, 6]),
        field('6f1c0c6e2f594a8e9d393f1f0b7e3b6a'),
        field((1_500_000).toString(16).padStart(16, '0')), // microseconds since 2000-01-01
        field(cpu.toString('hex')),
        field('fffffffffffffffe'),
        field('00000007'),
        field('01'),
        Buffer.from([0xff, 0xff]),
      ]),
    );
  });

  it('writes null and undefined as NULL (length -1), negative integers and offsets exactly', () => {
    const out = bytes(write([{ id: null, ts: '2026-12-01T12:00:00.123456+02:00', cpu: undefined, big: 2 ** 53 - 1, n: -(2 ** 31), on: null }]));
    const row = out.subarray(19 + 2);
    expect(row.readInt32BE(0)).toBe(-1);
    expect(row.readInt32BE(4)).toBe(8);
    expect(row.readBigInt64BE(8)).toBe(BigInt(Date.UTC(2026, 11, 1, 10, 0, 0, 123) - Date.UTC(2000, 0, 1)) * 1000n + 456n);
    expect(row.readInt32BE(16)).toBe(-1);
    expect(row.readBigInt64BE(24)).toBe(BigInt(2 ** 53 - 1));
    expect(row.readInt32BE(36)).toBe(-(2 ** 31));
    expect(row.readInt32BE(40)).toBe(-1);
    const early = bytes(binaryCopyWriter({ big: 'int8' }, 1024)([{ big: -(2 ** 40) - 3 }]));
    expect(early.readBigInt64BE(19 + 2 + 4)).toBe(-(2n ** 40n) - 3n);
  });

  it.each([
    ['a fraction in an integer column', { big: 1.5 }],
    ['an integer past 2^53', { big: 2 ** 53 }],
    ['an int4 out of range', { n: 2 ** 31 }],
    ['a string in a number column', { cpu: '12.5' }],
    ['an id that is not a canonical UUID', { id: '6f1c0c6e2f594a8e9d393f1f0b7e3b6a' }],
    ['an id with a non-hex digit', { id: '6f1c0c6e-2f59-4a8e-9d39-3f1f0b7e3b6g' }],
    ['a time with nanoseconds', { ts: '2026-12-01T12:00:00.123456789Z' }],
    ['a time that is not one', { ts: 'yesterday' }],
    ['a number in a boolean column', { on: 1 }],
  ])('answers undefined for a batch holding %s (it goes as text)', (_case, bad) => {
    const good = { id: '00000000-0000-4000-8000-000000000001', ts: '2026-12-01T12:00:00Z', cpu: 1, big: 1, n: 1, on: false };
    expect(write([good])).toBeDefined();
    expect(write([good, { ...good, ...bad }])).toBeUndefined();
  });

  it('spreads a large batch over pieces of the given size, none cut inside a row', () => {
    const small = binaryCopyWriter({ big: 'int8', cpu: 'float8' }, 1024);
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ big: i, cpu: i / 2 }));
    const pieces = small(rows)!;
    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.every((piece) => piece.length <= 1024)).toBe(true);
    const all = Buffer.concat(pieces);
    expect(all.length).toBe(19 + 1_000 * (2 + 12 + 12) + 2);
    expect(all.readBigInt64BE(19 + 999 * 26 + 2 + 4)).toBe(999n);
    expect(all.readDoubleBE(19 + 999 * 26 + 2 + 12 + 4)).toBe(499.5);
  });

  it('refuses a column type it cannot write', () => {
    expect(() => binaryCopyWriter({ message: 'text' }, 1024)).toThrow('cannot be written as COPY binary');
  });
});
