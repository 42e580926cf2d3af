/** The characters of a Docker container name; a glob is made of these and the wildcards `*` and `?`. */
const NAME_CHAR = '[a-zA-Z0-9_.-]';
export const GLOB_MAX_LENGTH = 200;
const GLOB = new RegExp(`^[a-zA-Z0-9_.\\-*?]{1,${GLOB_MAX_LENGTH}}$`);

export const isNameGlob = (pattern: unknown): pattern is string => typeof pattern === 'string' && GLOB.test(pattern);

const segment = (text: string) => text.replace(/[.?-]/g, (c) => (c === '?' ? NAME_CHAR : `\\${c}`));

/**
 * An anchored, case-sensitive RegExp for a container-name glob (`*` any run of name characters, `?`
 * one). It also accepts the leading `/` Docker puts before names.
 *
 * A plain `*` → `.*` translation backtracks polynomially (`*a*a*a*a*b` against `aaaa…`), and the
 * evaluator runs these on every subject. Each inner segment is therefore matched at its leftmost
 * place inside a lookahead captured and replayed (`(?=(…))\1`): JavaScript never backtracks into a
 * lookahead, and leftmost placement of fixed-length segments loses no match.
 */
export function compileGlob(pattern: string): RegExp {
  if (!isNameGlob(pattern)) throw new Error(`Not a container-name glob: ${JSON.stringify(pattern)}`);
  const [first, ...rest] = pattern.split(/\*+/).map(segment);
  if (!rest.length) return new RegExp(`^/?${first}$`);
  const last = rest.pop()!;
  const inner = rest.map((part, index) => `(?=(${NAME_CHAR}*?${part}))\\${index + 1}`).join('');
  return new RegExp(`^/?${first}${inner}${NAME_CHAR}*${last}$`);
}
