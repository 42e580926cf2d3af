// Pools of hostile values. Numbers are raw JSON spellings, so -0, 1e309 (Infinity once parsed)
// and 2^53+1 reach the server exactly as written.
import { deepText, ownObject, raw } from './json-text.mjs';

export const INT4_MAX = 2 ** 31 - 1;

const NUMBER_TEXTS = [
  '0', '-0', '1', '-1', '0.5', '-0.5', '7', '100', '100.5', '65536', '65537', '100000', '100000.0001', '1E3', '1.0', '0e0',
  '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967295', '4294967296',
  '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740991', '-9007199254740992',
  '9223372036854775807', '9223372036854775808', '18446744073709551616', '123456789012345678901234567890',
  '1e15', '1e300', '1e308', '1.7976931348623157e308', '-1.7976931348623157e308', '1e309', '-1e309', '1e400',
  '5e-324', '1e-400', '2.5e-8', '3.14159',
];

/** A coarse class of a number, for grouping failures. */
export function numberCategory(n) {
  if (!Number.isFinite(n)) return 'number beyond double (parses to Infinity)';
  if (Math.abs(n) >= 2 ** 53) return 'number of 2^53 or more';
  if (Number.isInteger(n) && Math.abs(n) > INT4_MAX) return 'integer beyond int4';
  if (Object.is(n, -0)) return '-0';
  if (n < 0) return 'negative number';
  if (!Number.isInteger(n)) return n > 1e15 ? 'huge float' : 'fraction';
  return 'small integer';
}

/** `{label, value, number, category}`: number is what JSON.parse makes of the text. */
export const NUMBERS = NUMBER_TEXTS.map((text) => ({ label: `number ${text}`, value: raw(text), number: JSON.parse(text), category: numberCategory(JSON.parse(text)) }));

/** Numbers around the storage bounds (int4, bigint within 2^53, double). */
export const BOUNDARY_NUMBERS = NUMBERS.filter(({ number }) =>
  [0, INT4_MAX, INT4_MAX + 1, 2 ** 53 - 1, 2 ** 53, 1.7976931348623157e308, Infinity].includes(Math.abs(number)),
);

const LONE = ['\ud800', '\udbff', '\udc00', '\udfff'];

/** Text a database refuses or a careless parser mangles. `dirty`: NUL or lone surrogates. */
const TEXT_VALUES = [
  { label: 'NUL', value: '\u0000', dirty: true },
  { label: 'NUL inside', value: 'web\u0000app', dirty: true },
  ...LONE.map((s) => ({ label: `lone surrogate ${escape(s)}`, value: `x${s}y`, dirty: true })),
  { label: 'reversed surrogate pair', value: '\udc00\ud800', dirty: true },
  { label: 'half an emoji', value: 'whale \ud83d', dirty: true },
  { label: 'empty', value: '' },
  { label: 'space', value: ' ' },
  { label: 'control characters', value: '\t\n\r\u0001\u001b[31m' },
  { label: 'line separators', value: '\u2028\u2029' },
  { label: 'bidi override', value: '\u202egnp.exe' },
  { label: 'BOM', value: '\ufeffx' },
  { label: 'emoji', value: 'container 🐳 ok' },
  { label: 'combining marks', value: 'Z̸̡̛a̴l̷g̶o' },
  { label: 'quotes and backslashes', value: '"\\\'`\\u0000' },
  { label: 'format string', value: '%s%n%d%%' },
  { label: 'SQL', value: "'); DROP TABLE containers; --" },
  { label: 'like wildcards', value: '%_\\' },
  { label: 'prototype word __proto__', value: '__proto__' },
  { label: 'prototype word constructor', value: 'constructor' },
  { label: 'word null', value: 'null' },
  { label: 'word NaN', value: 'NaN' },
  { label: 'digits', value: '12' },
  { label: 'ISO date', value: '2026-11-23T10:05:17.123456789Z' },
];
export const TEXTS = TEXT_VALUES.map((entry) => ({ ...entry, category: entry.dirty ? 'NUL or lone surrogate' : 'odd text' }));

/** Strings longer than anything a field allows: around the limits and far beyond. */
export const OVERLONG_LENGTHS = [33, 65, 254, 256, 4097, 8193, 16_385, 70_000, 300_000];

/** `length` characters (code points), ASCII or not. */
export function overlong(length, rng) {
  return rng.pick(['x', 'é', '🐳']).repeat(length);
}

/** Wrong JSON types for any field. */
const WRONG_TYPE_VALUES = [
  { label: 'true', value: true, type: 'boolean' },
  { label: 'false', value: false, type: 'boolean' },
  { label: 'empty array', value: [], type: 'array' },
  { label: 'array of number', value: [1], type: 'array' },
  { label: 'array of array', value: [[]], type: 'array' },
  { label: 'empty object', value: {}, type: 'object' },
  { label: 'object', value: { a: 1 }, type: 'object' },
  { label: 'string "1"', value: '1', type: 'string' },
  { label: 'string ""', value: '', type: 'string' },
  { label: 'number 1', value: 1, type: 'number' },
  { label: 'number 0', value: 0, type: 'number' },
];
export const WRONG_TYPES = WRONG_TYPE_VALUES.map((entry) => ({ ...entry, category: `wrong type (${entry.type})` }));

/** Objects whose keys are the names of Object.prototype members. */
export const PROTOTYPE_OBJECTS = () => prototypeObjects().map((entry) => ({ ...entry, category: 'object with prototype keys ({"constructor": …})' }));
const prototypeObjects = () => [
  { label: '{"constructor": {...}}', value: ownObject([['constructor', { name: 'Object', prototype: { polluted: true } }]]) },
  { label: '{"constructor": "x"}', value: ownObject([['constructor', 'x']]) },
  { label: '{"__proto__": {...}}', value: ownObject([['__proto__', { polluted: true, length: 1 }]]) },
  { label: '{"__proto__": null}', value: ownObject([['__proto__', null]]) },
  { label: '{"toString": 1}', value: ownObject([['toString', 1]]) },
  { label: '{"valueOf": {}, "toJSON": "x"}', value: ownObject([['valueOf', {}], ['toJSON', 'x']]) },
  { label: '{"hasOwnProperty": "x"}', value: ownObject([['hasOwnProperty', 'x']]) },
];

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf', '__defineGetter__'];

export const DEPTHS = [64, 1_000, 3_000, 10_000];

export function deepValue(rng, depth = rng.pick(DEPTHS)) {
  const shape = rng.pick(['array', 'object']);
  return { label: `${depth}-deep ${shape}`, value: raw(deepText(depth, shape, rng.pick(['1', '"x"', 'null', '{}']))), deep: shape, category: `${depth >= 3_000 ? '3,000+' : 'shallow'}-deep nesting` };
}
