/** A container-name glob (`api-*`, `db-?`) as an anchored expression; Docker's leading `/` is not part of names. */
export function compileGlob(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}
