// JSON text the fuzzer controls exactly: raw number spellings (-0, 1e309, 2^53+1), own
// `__proto__` keys, and nesting far deeper than a recursive JSON.stringify would survive.

/** A value written verbatim into the JSON text. */
export class RawJson {
  constructor(text) {
    this.text = text;
  }
}

export const raw = (text) => new RawJson(text);

/** An object whose keys are all own, enumerable properties, `__proto__` included. */
export function ownObject(entries) {
  const object = {};
  for (const [key, value] of entries) setOwn(object, key, value);
  return object;
}

export function setOwn(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export function toJsonText(value) {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = [];
    for (const key of Object.keys(value)) if (value[key] !== undefined) parts.push(`${JSON.stringify(key)}:${toJsonText(value[key])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A deep copy that keeps RawJson tokens and own `__proto__` keys. */
export function clone(value) {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  return ownObject(Object.keys(value).map((key) => [key, clone(value[key])]));
}

/** `depth` nested arrays or objects around `leaf`, as raw text. */
export function deepText(depth, shape = 'array', leaf = '1') {
  if (shape === 'array') return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** Reads the value at `path` (keys and indexes). */
export function getAt(root, path) {
  let node = root;
  for (const key of path) node = node == null ? undefined : node[key];
  return node;
}

/** Sets (or, with `remove`, deletes) the value at a non-empty `path`; false when the parent is gone. */
export function setAt(root, path, value, remove = false) {
  const parent = getAt(root, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object' || parent instanceof RawJson) return false;
  const key = path[path.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(key, 1);
    else delete parent[key];
  } else setOwn(parent, key, value);
  return true;
}

export const pathText = (path) => path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
