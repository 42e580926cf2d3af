/**
 * A message's bytes parsed as JSON without one string over V8's regular-object limit (128 KiB).
 * A longer string is built in V8's large-object space, one fresh memory mapping each: on these
 * machines decoding a 250 KB frame cost 1.1 ms that way, twice its JSON.parse (README, "Ingest").
 * No JSON library parses bytes without that string (they all end in JSON.parse or are far slower
 * in JavaScript), hence this scanner: it only finds where the big arrays of the top-level object
 * may be cut; V8's parser still reads every value.
 *
 * Exact by construction: an array is parsed as pieces cut at its own commas, and the rest of the
 * message with `[]` in its place. When each piece is a non-empty list of values and the rest is
 * valid, the whole message is valid JSON meaning exactly that (its grammar is unambiguous).
 * Anything else (invalid JSON included) takes plain JSON.parse, which then reports the error.
 */

/** Messages up to this size are parsed whole: their string is a regular one. */
const WHOLE_BYTES = 96 * 1024;
/** Bytes of one piece: even decoded to two-byte characters it stays a regular string. */
const PIECE_BYTES = 48 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** A member of the top-level object whose value is an array long enough to be cut. */
export interface LongArray {
  /** Byte offsets of the member's key, quotes included. */
  key: [start: number, end: number];
  /** Byte offsets of the array's `[` and `]`. */
  open: number;
  close: number;
  /** Offsets of the commas the array is cut at. */
  cuts: number[];
}

/** Where the top-level object's long arrays are and where they may be cut; `undefined` when nothing needs cutting. */
export function findLongArrays(bytes: Uint8Array): { arrays: LongArray[]; keys: Array<[number, number]> } | undefined {
  const n = bytes.length;
  let start = 0;
  while (start < n && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  if (bytes[start] !== OPEN_OBJECT) return undefined;
  const arrays: LongArray[] = [];
  const keys: Array<[number, number]> = [];
  let depth = 0;
  let expectKey = false;
  let current: LongArray | undefined;
  let pieceStart = 0;
  for (let i = start; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      const opened = i;
      for (i++; i < n; i++) {
        const d = bytes[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
      if (depth === 1 && expectKey) {
        keys.push([opened, i]);
        expectKey = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth === 1) expectKey = true;
      else if (depth === 2 && c === OPEN_ARRAY && keys.length) {
        current = { key: keys[keys.length - 1], open: i, close: -1, cuts: [] };
        pieceStart = i;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 2 && current) {
        if (c !== CLOSE_ARRAY) return undefined;
        current.close = i;
        if (current.cuts.length) arrays.push(current);
        current = undefined;
      }
      depth--;
    } else if (c === COMMA) {
      if (depth === 1) expectKey = true;
      else if (depth === 2 && current && i - pieceStart > PIECE_BYTES) {
        current.cuts.push(i);
        pieceStart = i;
      }
    }
  }
  return arrays.length ? { arrays, keys } : undefined;
}

function parseArray(bytes: Buffer, array: LongArray): unknown[] {
  const items: unknown[] = [];
  let from = array.open + 1;
  for (const end of [...array.cuts, array.close]) {
    const piece = JSON.parse(`[${bytes.toString('utf8', from, end)}]`) as unknown[];
    if (!piece.length) throw new SyntaxError('empty piece');
    for (const item of piece) items.push(item);
    from = end + 1;
  }
  return items;
}

function parsePieces(bytes: Buffer, arrays: LongArray[], keys: Array<[number, number]>): unknown {
  let rest = '';
  let from = 0;
  for (const array of arrays) {
    rest += `${bytes.toString('utf8', from, array.open)}[]`;
    from = array.close + 1;
  }
  const body = JSON.parse(rest + bytes.toString('utf8', from)) as Record<string, unknown>;
  const keyName = ([start, end]: [number, number]) => JSON.parse(bytes.toString('utf8', start, end + 1)) as string;
  const names = keys.map(keyName);
  for (const array of arrays) {
    const value = parseArray(bytes, array);
    const name = keyName(array.key);
    // A key repeated later wins in JSON.parse: then this array is not the member's value.
    if (names.lastIndexOf(name) !== keys.indexOf(array.key)) continue;
    Object.defineProperty(body, name, { value, writable: true, enumerable: true, configurable: true });
  }
  return body;
}

/** JSON.parse(bytes.toString()), with the same result and errors, for bytes of any size. */
export function parseJsonBytes(bytes: Buffer): unknown {
  if (bytes.length > WHOLE_BYTES) {
    const found = findLongArrays(bytes);
    if (found) {
      try {
        return parsePieces(bytes, found.arrays, found.keys);
      } catch {
        // Invalid somewhere: the plain parse below says where.
      }
    }
  }
  return JSON.parse(bytes.toString());
}
