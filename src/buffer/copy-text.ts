/** Column types whose values COPY's text format reads exactly as JavaScript prints them. */
const NUMERIC = new Set(['float8', 'int8', 'int4']);
const COPYABLE = new Set([...NUMERIC, 'uuid', 'timestamptz', 'bool']);

export const isCopyable = (types: readonly string[]) => types.every((type) => COPYABLE.has(type));

/**
 * Bytes of COPY text per piece. A flush of several MB is written straight into buffers of this size
 * rather than built as one string: V8 puts a string over 128 KiB in its large-object space (on
 * these machines about 1 ms per 250 KB, 50 times a regular string), and the string and its
 * copy into a buffer were a third of the ingest path's allocation.
 */
export const COPY_PIECE_BYTES = 64 * 1024;

/** COPY text format's escapes: a backslash, tab, newline or carriage return inside a value. */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value as COPY's text format spells it: \N for null, t/f for booleans. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

/**
 * A writer of rows (plain objects keyed by column name) as the body of `COPY … FROM STDIN` in
 * text format, one line per row, in `columns`' order, in pieces of at most COPY_PIECE_BYTES
 * (cut at line ends; a longer line gets a piece large enough). Only for COPYABLE types: numbers, booleans
 * and already validated strings (ids, ISO timestamps), which JavaScript prints as PostgreSQL reads
 * them back, as it does from JSON on the INSERT path. Strings are still escaped, so no value can
 * shift the columns after it.
 *
 * The line is one generated expression per table (as fast-json-stringify generates serializers):
 * a loop over the columns calling a formatter per value cost half as much again, on the hot path.
 * Only column names from the code go into it, each as a JSON string literal.
 */
export function copyWriter(columns: Readonly<Record<string, string>>): (rows: readonly object[]) => Buffer[] {
  const parts = Object.entries(columns).map(([name, type]) => {
    if (!COPYABLE.has(type)) throw new Error(`Column ${name} of type ${type} cannot be written as COPY text`);
    const value = `row[${JSON.stringify(name)}]`;
    return NUMERIC.has(type) ? `(typeof ${value} === 'number' ? ${value} : format(${value}))` : `format(${value})`;
  });
  const line = new Function('format', `return (row) => ${parts.join(" + '\\t' + ")} + '\\n';`)(copyValue) as (row: object) => string;
  return (rows) => {
    const pieces: Buffer[] = [];
    let piece = Buffer.allocUnsafe(COPY_PIECE_BYTES);
    let used = 0;
    for (const row of rows) {
      const text = line(row);
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (used + text.length * 3 > piece.length) {
        if (used) pieces.push(piece.subarray(0, used));
        piece = Buffer.allocUnsafe(Math.max(COPY_PIECE_BYTES, text.length * 3));
        used = 0;
      }
      used += piece.write(text, used);
    }
    if (used) pieces.push(piece.subarray(0, used));
    return pieces;
  };
}
