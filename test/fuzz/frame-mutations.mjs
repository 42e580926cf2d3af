// Mutations of valid agent frames: one path at a time, or several at once on unrelated paths.
// Each mutation says whether the contract makes the frame unacceptable ('refuse') or leaves the
// answer open ('any'); either way it must be answered, never `internal`. Its `category` (the kind
// of value, not the value) groups failures into classes.
import { DEEP, KINDS, MISSING, verdict } from './frame-kinds.mjs';
import { BOUNDARY_NUMBERS, deepValue, NUMBERS, OVERLONG_LENGTHS, overlong, PROTOTYPE_KEYS, PROTOTYPE_OBJECTS, TEXTS, WRONG_TYPES } from './hostile-values.mjs';
import { clone, deepText, getAt, ownObject, pathText, raw, RawJson, setAt, setOwn } from './json-text.mjs';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawJson);
const isPrefix = (a, b) => a.length <= b.length && a.every((key, i) => key === b[i]);

/** Every path of `frame` a mutation can aim at, with its role and field spec. */
function targets(kind, frame) {
  const spec = KINDS[kind];
  const list = [{ path: [], role: 'root' }, { path: ['type'], role: 'type' }];
  for (const [field, fieldSpec] of Object.entries(spec.top ?? {})) list.push({ path: [field], role: 'field', spec: fieldSpec });
  if (!spec.item) return list;
  list.push({ path: ['data'], role: 'data' });
  if (!Array.isArray(frame.data)) return list;
  frame.data.forEach((item, i) => {
    if (i > 2 && i < frame.data.length - 1) return;
    list.push({ path: ['data', i], role: 'item' });
    if (!isObject(item)) return;
    for (const [field, fieldSpec] of Object.entries(spec.item)) list.push({ path: ['data', i, field], role: 'field', spec: fieldSpec });
    if (isObject(item.labels)) for (const key of Object.keys(item.labels)) list.push({ path: ['data', i, 'labels', key], role: 'nested' });
    if (Array.isArray(item.ports)) item.ports.forEach((_, j) => list.push({ path: ['data', i, 'ports', j], role: 'nested' }, { path: ['data', i, 'ports', j, 'privatePort'], role: 'nested' }));
  });
  return list;
}

const ODD_TIMESTAMPS = (now) => [
  { label: 'epoch seconds', value: Math.floor(now / 1000) },
  { label: 'epoch 0', value: 0 },
  { label: '1999', value: '1999-12-31T23:59:59Z' },
  { label: '2 hours ahead', value: now + 2 * 3_600_000 },
  { label: 'year 9999', value: '9999-12-31T23:59:59.999999999Z' },
  { label: 'month 13', value: '2026-13-01T00:00:00Z' },
  { label: 'Feb 30', value: '2026-02-30T00:00:00Z' },
  { label: 'leap second', value: '2016-12-31T23:59:60Z' },
  { label: '10 fraction digits', value: '2026-11-23T10:05:17.1234567890Z' },
  { label: 'no zone', value: '2026-11-23T10:05:17' },
  { label: 'offset +14:00', value: new Date(now).toISOString().replace('Z', '+14:00') },
  { label: 'date only', value: '2026-11-23' },
  { label: 'lower-case t', value: new Date(now).toISOString().replace('T', 't'), expect: 'any' },
  { label: 'padded with spaces', value: ` ${new Date(now).toISOString()} ` },
  { label: 'digits in a string', value: String(now), expect: 'any' },
  { label: 'negative', value: -now },
].map((entry) => ({ ...entry, label: `timestamp ${entry.label}`, category: 'odd timestamp' }));

/** What the server sees for a generated value: numbers as parsed, deep raw text as a DEEP marker. */
const seen = (entry) => (entry.remove ? MISSING : 'number' in entry ? entry.number : entry.deep ? { [DEEP]: entry.deep } : entry.value);

/** One mutation of the field at `target.path`: the new value (or removal) and its verdict. */
function fieldMutation(rng, target, frame, now) {
  const { spec } = target;
  const ts = spec.t === 'ts' || spec.t === 'time';
  const op = rng.weighted([[2, 'delete'], [2, 'null'], [3, 'wrongType'], [2, 'proto'], [1, 'deep'], [4, 'number'], [2, 'boundary'], [3, 'text'], [2, 'overlong'], [ts ? 4 : 0, 'timestamp'], [1, 'swap']]);
  const entry = (() => {
    switch (op) {
      case 'delete':
        return { label: 'deleted', remove: true, category: `${spec.optional ? 'optional' : 'required'} field missing` };
      case 'null':
        return { label: 'null', value: null, category: `null in ${spec.optional ? 'optional' : 'required'} field` };
      case 'wrongType':
        return rng.pick(WRONG_TYPES);
      case 'proto':
        return rng.pick(PROTOTYPE_OBJECTS());
      case 'deep':
        return deepValue(rng);
      case 'number':
        return rng.pick(NUMBERS);
      case 'boundary':
        return rng.pick(BOUNDARY_NUMBERS);
      case 'text':
        return rng.pick(TEXTS);
      case 'overlong': {
        const length = rng.pick(OVERLONG_LENGTHS);
        return { label: `${length}-character string`, value: overlong(length, rng), category: 'overlong string' };
      }
      case 'timestamp':
        return rng.pick(ODD_TIMESTAMPS(now));
      default: {
        const siblings = Object.keys(getAt(frame, target.path.slice(0, -1)) ?? {}).filter((key) => key !== target.path.at(-1));
        const from = rng.pick(siblings.length ? siblings : ['type']);
        return { label: `value of ${from}`, value: clone(getAt(frame, [...target.path.slice(0, -1), from])), category: 'value of another field' };
      }
    }
  })();
  return { ...entry, expect: spec.lenient ? 'any' : (entry.expect ?? verdict(spec, seen(entry), now)) };
}

function typeMutation(rng, kind) {
  const entry = rng.pick([
    { label: 'unknown type', value: 'metricz' },
    { label: 'upper-case type', value: kind.toUpperCase() },
    { label: 'type of another kind', value: rng.pick(Object.keys(KINDS).filter((k) => k !== kind)), retype: true },
    { label: 'type __proto__', value: '__proto__' },
    { label: 'type constructor', value: 'constructor' },
    { label: 'type toString', value: 'toString' },
    { label: 'type hasOwnProperty', value: 'hasOwnProperty' },
    { label: 'type number', value: 1 },
    { label: 'type null', value: null },
    { label: 'type object', value: { type: kind } },
    { label: 'type deleted', remove: true },
    { label: 'type with NUL', value: `${kind}\u0000` },
  ]);
  return { ...entry, category: entry.label, expect: 'refuse' };
}

/** A frame given another kind's type is valid as that kind when it carries no items and the kind needs nothing else. */
const validAsRetyped = (frame) => KINDS[frame.type] && !KINDS[frame.type].top && Array.isArray(frame.data) && frame.data.length === 0;

/** Two items naming one container by its full and its short id (one row twice in one statement). */
function duplicateShortId(frame, kind) {
  const idField = kind === 'containers' ? 'dockerId' : 'containerId';
  const first = frame.data[0];
  const category = 'one container twice in a frame';
  if (!isObject(first) || typeof first[idField] !== 'string') return { label: 'data item duplicated', value: [...frame.data, clone(first ?? {})], expect: 'any', category };
  const twin = clone(first);
  twin[idField] = first[idField].length === 64 ? first[idField].slice(0, 12) : `${first[idField]}${'0'.repeat(52)}`;
  return { label: 'data item twice, full and short id', value: [...frame.data, twin], expect: 'any', category };
}

const EXTRA_VALUES = () => [
  { label: '{"polluted": true}', value: { polluted: true } },
  { label: '1', value: 1 },
  { label: 'null', value: null },
  { label: '[]', value: [] },
  { label: '3000-deep array', value: raw(deepText(3000)), category: 'a 3,000+-deep value' },
  { label: '{"constructor": {"prototype": …}}', value: { constructor: { prototype: { polluted: 1 } } }, category: 'a {"constructor": …} value' },
];

/** A property the contract does not know (ignored, or refused: either is fine), with some value. */
function extraKey(rng) {
  const key = rng.weighted([[4, rng.pick(PROTOTYPE_KEYS)], [1, 'extra'], [1, 'seq2'], [1, '\u0000'], [1, 'x\ud800']]);
  const value = rng.pick(EXTRA_VALUES());
  const named = PROTOTYPE_KEYS.includes(key) ? 'extra key named after a prototype member' : 'extra key';
  return { label: `extra key ${JSON.stringify(key)} = ${value.label}`, key, value: value.value, expect: 'any', category: value.category ? `${named} with ${value.category}` : named };
}

/** An extra property on the frame itself; `data: [[]]` too on the kinds that carry no data. */
function rootMutation(rng, kind) {
  if (KINDS[kind].item || rng.chance(0.7)) return extraKey(rng);
  return { label: 'data [[]] on a kind without data', key: 'data', value: [[]], expect: 'any', category: 'data [[]] on a kind without data' };
}

function dataMutation(rng, frame, kind) {
  const item = () => (Array.isArray(frame.data) ? frame.data[0] : undefined) ?? {};
  const data = Array.isArray(frame.data) ? frame.data : [];
  const entry = rng.weighted([
    [3, { label: 'data [[]]', value: [[]], expect: 'refuse' }],
    [2, { label: 'data [null]', value: [null], expect: 'refuse' }],
    [1, { label: 'data [1]', value: [1], expect: 'refuse' }],
    [1, { label: 'data ["x"]', value: ['x'], expect: 'refuse' }],
    [1, { label: 'data [item, null]', value: [clone(item()), null], expect: 'refuse' }],
    [2, { label: 'data []', value: [], expect: 'any' }],
    [2, { label: 'data not an array', value: rng.pick([{}, 'x', 1, true, { 0: item() }]), expect: 'refuse' }],
    [2, { label: 'data null', value: null, expect: 'refuse' }],
    [2, { label: 'data deleted', remove: true, expect: 'refuse' }],
    [1, { label: 'data 3000-deep', value: raw(`${'['.repeat(3000)}${']'.repeat(3000)}`), expect: 'refuse' }],
    [3, { label: 'data item duplicated', value: [...data, clone(item())], expect: 'any', category: 'one container twice in a frame' }],
    [2, { label: 'data item of prototype keys', value: [...data, ownObject(PROTOTYPE_KEYS.map((key) => [key, {}]))], expect: 'refuse' }],
    [2, Array.isArray(frame.data) ? duplicateShortId(frame, kind) : { label: 'data []', value: [], expect: 'any' }],
  ]);
  return { category: entry.label, ...entry };
}

function itemMutation(rng) {
  return rng.weighted([
    [3, { label: 'item not an object', value: rng.pick([null, [], 1, 'x', true, [[]]]), expect: 'refuse', category: 'item not an object' }],
    [2, { label: 'item {}', value: {}, expect: 'refuse', category: 'item {}' }],
    [2, { ...rng.pick(PROTOTYPE_OBJECTS()), expect: 'refuse' }],
    [1, { ...deepValue(rng), expect: 'refuse' }],
    [4, extraKey(rng)],
  ]);
}

/** Inside labels and ports: whatever a Docker engine, or an attacker, could put there. */
function nestedMutation(rng) {
  const entry = rng.weighted([[3, rng.pick(TEXTS)], [2, rng.pick(NUMBERS)], [2, rng.pick(PROTOTYPE_OBJECTS())], [2, deepValue(rng, rng.pick([3_000, 10_000]))], [1, { label: 'null', value: null, category: 'null' }], [1, rng.pick(WRONG_TYPES)]]);
  return { ...entry, expect: 'any' };
}

/** Applies one mutation to a random target not related to the `taken` paths; returns what it did. */
function mutateOnce(rng, kind, frame, now, taken) {
  const free = targets(kind, frame).filter(({ path }) => !taken.some((p) => isPrefix(p, path) || isPrefix(path, p)));
  if (!free.length) return undefined;
  const target = rng.pick(free);
  const field = target.path.filter((key) => typeof key === 'string').at(-1) ?? 'frame';
  const where = pathText(target.path) || '(frame)';
  if (target.role === 'field') {
    const m = fieldMutation(rng, target, frame, now);
    if (!setAt(frame, target.path, m.value, m.remove)) return undefined;
    taken.push(target.path);
    return { where, what: m.label, expect: m.expect, category: `${field}: ${m.category}` };
  }
  if (target.role === 'nested') {
    const m = nestedMutation(rng);
    const inside = target.path.includes('labels') ? 'labels' : 'ports';
    const parent = getAt(frame, target.path.slice(0, -1));
    taken.push(target.path.slice(0, -1));
    if (rng.chance(0.3) && isObject(parent)) {
      const key = rng.pick(['__proto__', 'constructor', 'a\u0000b', 'x\udfff', 'toString', '']);
      setOwn(parent, key, m.value ?? null);
      const keyCategory = /[\u0000\ud800-\udfff]/.test(key) ? 'key with NUL or lone surrogate' : key ? 'key named after a prototype member' : 'empty key';
      return { where: `${pathText(target.path.slice(0, -1))}[${JSON.stringify(key)}]`, what: m.label, expect: 'any', category: `${inside}: ${keyCategory}, value ${m.category}` };
    }
    setAt(frame, target.path, m.value);
    return { where, what: m.label, expect: 'any', category: `${inside} content: ${m.category}` };
  }
  const m = target.role === 'type' ? typeMutation(rng, kind) : target.role === 'data' ? dataMutation(rng, frame, kind) : target.role === 'item' ? itemMutation(rng) : rootMutation(rng, kind);
  if (m.key !== undefined) {
    const holder = target.path.length ? getAt(frame, target.path) : frame;
    if (!isObject(holder)) return undefined;
    setOwn(holder, m.key, m.value);
  } else if (!setAt(frame, target.path, m.value, m.remove)) return undefined;
  taken.push(target.path);
  return { where, what: m.label, expect: m.expect, retype: m.retype, category: `${target.role === 'root' ? 'frame' : target.role}: ${m.category}` };
}

/**
 * Mutates a copy of the valid frame `base` of `kind`: usually one path, sometimes 2–4 unrelated
 * paths at once. `label` names every mutation with its path and value; `signature` only the
 * categories, so failures group into classes.
 */
export function mutateFrame(rng, kind, base, now) {
  const frame = clone(base);
  const count = rng.weighted([[7, 1], [2, 2], [1, rng.int(3, 4)]]);
  const taken = [];
  const applied = [];
  for (let i = 0; i < count; i++) {
    const one = mutateOnce(rng, kind, frame, now, taken);
    if (one) applied.push(one);
  }
  const expect = applied.some((m) => m.expect === 'refuse' && !(m.retype && validAsRetyped(frame))) ? 'refuse' : 'any';
  const label = applied.map((m) => `${m.where} := ${m.what}`).join('; ') || 'unchanged';
  const categories = [...new Set(applied.map((m) => m.category))].sort();
  const signature = `${kind} ${categories.length > 1 ? `several: ${categories.join(' + ')}` : categories[0] ?? 'unchanged'}`;
  return { frame, label: `${kind} ${label}`, signature, expect };
}
