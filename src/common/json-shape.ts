/**
 * Checks for the free-form JSON agents send (container labels and ports), written so that no input
 * can make them recurse or loop long: each looks one or two levels deep and stops at the first
 * problem, which it describes (or returns undefined when the value is fine).
 */

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text PostgreSQL stores as given: no NUL (text and jsonb refuse it) and no lone surrogate (its JSON parser refuses it). */
export const isCleanText = (value: string): boolean => value.isWellFormed() && !value.includes('\u0000');

/** Keys that change an object's prototype when assigned, in code that copies JSON naively. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

export const LABELS = { maxEntries: 1000, maxKeyLength: 1024, maxValueLength: 65_536 };
export const PORTS = { maxEntries: 1000, maxFields: 16, maxKeyLength: 64, maxValueLength: 255 };

function keyProblem(key: string, maxLength: number): string | undefined {
  if (FORBIDDEN_KEYS.has(key)) return `has the forbidden key ${JSON.stringify(key)}`;
  if (key.length > maxLength) return `has a key longer than ${maxLength} characters`;
  if (!isCleanText(key)) return 'has a key with a NUL character or a lone surrogate';
  return undefined;
}

/** Docker labels: a flat object of string values. */
export function labelsProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be an object of string values';
  const keys = Object.keys(value);
  if (keys.length > LABELS.maxEntries) return `must have at most ${LABELS.maxEntries} entries`;
  for (const key of keys) {
    const problem = keyProblem(key, LABELS.maxKeyLength);
    if (problem) return problem;
    const label = value[key];
    const where = () => `[${JSON.stringify(key)}]`;
    if (typeof label !== 'string') return `${where()} must be a string`;
    if (label.length > LABELS.maxValueLength) return `${where()} must be at most ${LABELS.maxValueLength} characters`;
    if (!isCleanText(label)) return `${where()} must not contain a NUL character or a lone surrogate`;
  }
  return undefined;
}

/** Port bindings: an array of flat objects whose values are short strings, finite numbers, booleans or null. */
export function portsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'must be an array of objects';
  if (value.length > PORTS.maxEntries) return `must have at most ${PORTS.maxEntries} entries`;
  for (let index = 0; index < value.length; index++) {
    const port = value[index];
    if (!isPlainObject(port)) return `[${index}] must be an object`;
    const keys = Object.keys(port);
    if (keys.length > PORTS.maxFields) return `[${index}] must have at most ${PORTS.maxFields} fields`;
    for (const key of keys) {
      const problem = keyProblem(key, PORTS.maxKeyLength);
      if (problem) return `[${index}] ${problem}`;
      const field = port[key];
      if (typeof field === 'string') {
        if (field.length > PORTS.maxValueLength) return `[${index}].${key} must be at most ${PORTS.maxValueLength} characters`;
        if (!isCleanText(field)) return `[${index}].${key} must not contain a NUL character or a lone surrogate`;
      } else if (!(field === null || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field)))) {
        return `[${index}].${key} must be a string, a finite number, a boolean or null`;
      }
    }
  }
  return undefined;
}
