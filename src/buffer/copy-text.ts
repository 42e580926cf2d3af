/** Column types whose values COPY's text format reads exactly as JavaScript prints them. */
const NUMERIC = new Set(['float8', 'int8', 'int4']);
const COPYABLE = new Set([...NUMERIC, 'uuid', 'timestamptz', 'bool']);

export const isCopyable = (types: readonly string[]) => types.every((type) => COPYABLE.has(type));

/**
 * Characters of COPY text per piece. V8 puts a string over 128 KiB in its large-object space, one
 * fresh mapping each: on these machines building one cost about 1 ms per 250 KB (50 times a
 * regular string), so a flush of several MB is written as pieces that stay well below that.
 */
export const COPY_PIECE_CHARS = 32 * 1024;

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
 * text format, one line per row, in `columns`' order, cut at line ends into pieces of about
 * COPY_PIECE_CHARS. Only for COPYABLE types: numbers, booleans
 * and already validated strings (ids, ISO timestamps), which JavaScript prints as PostgreSQL reads
 * them back, as it does from JSON on the INSERT path. Strings are still escaped, so no value can
 * shift the columns after it.
 *
 * The line is one generated expression per table (as fast-json-stringify generates serializers):
 * a loop over the columns calling a formatter per value cost half as much again, on the hot path.
 * Only column names from the code go into it, each as a JSON string literal.
 */
export function copyWriter(columns: Readonly<Record<string, string>>): (rows: readonly object[]) => string[] {
  const parts = Object.entries(columns).map(([name, type]) => {
    if (!COPYABLE.has(type)) throw new Error(`Column ${name} of type ${type} cannot be written as COPY text`);
    const value = `row[${JSON.stringify(name)}]`;
    return NUMERIC.has(type) ? `(typeof ${value} === 'number' ? ${value} : format(${value}))` : `format(${value})`;
  });
  const line = new Function('format', `return (row) => ${parts.join(" + '\\t' + ")} + '\\n';`)(copyValue) as (row: object) => string;
  return (rows) => {
    const pieces: string[] = [];
    let text = '';
    for (const row of rows) {
      text += line(row);
      if (text.length >= COPY_PIECE_CHARS) {
        pieces.push(text);
        text = '';
      }
    }
    if (text) pieces.push(text);
    return pieces;
  };
}
