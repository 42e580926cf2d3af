/** Column types whose values COPY's text format reads exactly as JavaScript prints them. */
const COPYABLE = new Set(['uuid', 'timestamptz', 'float8', 'int8', 'int4', 'bool']);

export const isCopyable = (types: readonly string[]) => types.every((type) => COPYABLE.has(type));

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
 * Writes rows (plain objects keyed by column name) as the body of `COPY … FROM STDIN` in text
 * format, one line per row, the columns in `names`' order. Only for COPYABLE column types: their
 * values are numbers, booleans and already validated strings (ids, ISO timestamps), so JavaScript's
 * own printing is what PostgreSQL reads back, as it is from JSON on the INSERT path.
 */
export function copyText(rows: readonly object[], names: readonly string[]): string {
  let text = '';
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    let line = copyValue(values[names[0]]);
    for (let i = 1; i < names.length; i++) line += '\t' + copyValue(values[names[i]]);
    text += line + '\n';
  }
  return text;
}
