import { parseTimestamp } from '../common/timestamp.js';

/**
 * COPY's binary format (PostgreSQL docs, "COPY", "Binary Format"): a signature, then per row the
 * field count and each field as its length and its bytes in network order. PostgreSQL reads it
 * without parsing text (no float8in, int8in, uuid_in or timestamptz_in per value), and the server
 * writes numbers as their 8 bytes instead of their digits.
 *
 * Only for values that are exactly what the column holds: a writer answers `undefined` for a batch
 * with anything else in it (a fraction in an integer column, an id that is not a canonical UUID, a
 * time outside the fast path), and the caller sends that batch as text, where PostgreSQL reports
 * the value it refuses as it always has.
 */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
/** Distinct UUIDs kept as bytes: containers and hosts repeat in every frame. */
const UUID_CACHE_LIMIT = 100_000;
const BINARY_TYPES = ['float8', 'int8', 'int4', 'uuid', 'timestamptz', 'bool'] as const;
export type BinaryType = (typeof BINARY_TYPES)[number];

const uuidBytes = new Map<string, Buffer>();
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = HEX['0123456789ABCDEF'.charCodeAt(i)] = i;

/** A canonical UUID (8-4-4-4-12 hex digits) as its 16 bytes, or undefined. */
function parseUuid(value: string): Buffer | undefined {
  if (value.length !== 36) return undefined;
  const bytes = Buffer.allocUnsafe(16);
  let at = 0;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (value.charCodeAt(i) !== 0x2d) return undefined;
      i++;
      continue;
    }
    const high = HEX[value.charCodeAt(i) & 0x7f];
    const low = HEX[value.charCodeAt(i + 1) & 0x7f];
    if (high < 0 || low < 0 || value.charCodeAt(i) > 0x7f || value.charCodeAt(i + 1) > 0x7f) return undefined;
    bytes[at++] = (high << 4) | low;
    i += 2;
  }
  return bytes;
}

/** Rows written as COPY binary into pieces of `pieceBytes`; each writer method answers false for a value it cannot write exactly. */
export class BinaryPieces {
  readonly pieces: Buffer[] = [];
  private piece: Buffer;
  private used = 0;

  constructor(private readonly pieceBytes: number) {
    this.piece = Buffer.allocUnsafe(pieceBytes);
    for (const code of SIGNATURE) this.piece[this.used++] = code;
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  /** Starts a row of `fields` values; `maxBytes` bounds what it takes. */
  row(fields: number, maxBytes: number): void {
    this.room(maxBytes);
    this.piece[this.used++] = fields >> 8;
    this.piece[this.used++] = fields & 0xff;
  }

  finish(): Buffer[] {
    this.room(2);
    this.piece[this.used++] = 0xff; // -1: the end of the data
    this.piece[this.used++] = 0xff;
    this.pieces.push(this.piece.subarray(0, this.used));
    this.used = 0;
    return this.pieces;
  }

  /** null and undefined are NULL in every column. */
  private isNull(value: unknown): boolean {
    if (value !== null && value !== undefined) return false;
    this.int32(-1);
    return true;
  }

  float8(value: unknown): boolean {
    if (typeof value !== 'number') return this.isNull(value);
    this.int32(8);
    // + 0 turns -0 into 0, as text (String(-0)) and JSON write it.
    this.piece.writeDoubleBE(value + 0, this.used);
    this.used += 8;
    return true;
  }

  int8(value: unknown): boolean {
    if (typeof value !== 'number') return this.isNull(value);
    if (!Number.isSafeInteger(value)) return false;
    this.int32(8);
    this.int64(value);
    return true;
  }

  int4(value: unknown): boolean {
    if (typeof value !== 'number') return this.isNull(value);
    if (!Number.isInteger(value) || value < -2_147_483_648 || value > 2_147_483_647) return false;
    this.int32(4);
    this.int32(value);
    return true;
  }

  uuid(value: unknown): boolean {
    if (typeof value !== 'string') return this.isNull(value);
    let bytes = uuidBytes.get(value);
    if (!bytes) {
      bytes = parseUuid(value);
      if (!bytes) return false;
      if (uuidBytes.size >= UUID_CACHE_LIMIT) uuidBytes.clear();
      uuidBytes.set(value, bytes);
    }
    this.int32(16);
    const piece = this.piece;
    for (let i = 0; i < 16; i++) piece[this.used++] = bytes[i];
    return true;
  }

  /** Microseconds since 2000-01-01 UTC; any string parseTimestamp reads (the fast path reuses the last minute). */
  timestamptz(value: unknown): boolean {
    if (typeof value !== 'string') return this.isNull(value);
    const ts = parseTimestamp(value);
    // PostgreSQL rounds nanoseconds to the microsecond: such a time goes as text.
    if (!ts || ts.nanos !== 0) return false;
    this.int32(8);
    this.int64((ts.ms - PG_EPOCH_MS) * 1000 + ts.micros);
    return true;
  }

  bool(value: unknown): boolean {
    if (typeof value !== 'boolean') return this.isNull(value);
    this.int32(1);
    this.piece[this.used++] = value ? 1 : 0;
    return true;
  }

  private int32(value: number): void {
    const piece = this.piece;
    piece[this.used++] = value >>> 24;
    piece[this.used++] = (value >>> 16) & 0xff;
    piece[this.used++] = (value >>> 8) & 0xff;
    piece[this.used++] = value & 0xff;
  }

  /** A safe integer as a signed 64-bit big-endian integer (two's complement through the floor). */
  private int64(value: number): void {
    const high = Math.floor(value / TWO_32);
    this.int32(high);
    this.int32(value - high * TWO_32);
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.piece.length) return;
    if (this.used) this.pieces.push(this.piece.subarray(0, this.used));
    this.piece = Buffer.allocUnsafe(Math.max(this.pieceBytes, bytes));
    this.used = 0;
  }
}

export const isBinaryType = (type: string): type is BinaryType => (BINARY_TYPES as readonly string[]).includes(type);

/** Bytes one field of any binary type takes at most: its length and a UUID. */
const MAX_FIELD_BYTES = 4 + 16;

/**
 * A writer of rows as the body of `COPY … FROM STDIN (FORMAT binary)`, or undefined for a batch
 * holding a value it cannot write exactly. One generated function per table, as for text
 * (copy-text.ts); only column names from the code go into it, each as a JSON string literal.
 */
export function binaryCopyWriter(columns: Readonly<Record<string, string>>, pieceBytes: number): (rows: readonly object[]) => Buffer[] | undefined {
  const entries = Object.entries(columns).map(([name, type]) => {
    if (!isBinaryType(type)) throw new Error(`Column ${name} of type ${type} cannot be written as COPY binary`);
    return `out.${type}(row[${JSON.stringify(name)}])`;
  });
  const maxRowBytes = 2 + entries.length * MAX_FIELD_BYTES;
  const body = `out.row(${entries.length}, ${maxRowBytes}); return ${entries.join(' && ')};`;
  const writeRow = new Function('out', 'row', body) as (out: BinaryPieces, row: object) => boolean;
  return (rows) => {
    const out = new BinaryPieces(pieceBytes);
    for (const row of rows) if (!writeRow(out, row)) return undefined;
    return out.finish();
  };
}
