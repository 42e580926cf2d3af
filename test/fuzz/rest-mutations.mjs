// Requests to every operation of the OpenAPI document (/docs-json), built valid from its schemas
// and then mutated: path ids of the caller's organization, of another one, or garbage; query
// parameters and bodies the way frames are mutated; credentials missing, wrong or of another role.
import { deepValue, NUMBERS, OVERLONG_LENGTHS, overlong, PROTOTYPE_KEYS, PROTOTYPE_OBJECTS, TEXTS, WRONG_TYPES } from './hostile-values.mjs';
import { deepText, setOwn, toJsonText } from './json-text.mjs';
import { randomUuid } from './frame-kinds.mjs';

export const PASSWORD = 'Fuzz-password-42';

/** Every operation of the document: method, path template, parameters, body schema, credential. */
export function operations(doc) {
  const resolve = (schema) => (schema?.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()]) : schema);
  const list = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const security = op.security?.flatMap((s) => Object.keys(s))[0];
      list.push({
        method: method.toUpperCase(), path, resolve,
        params: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) ?? {} })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
        security: security === 'agent' ? 'agent' : security ? 'user' : undefined,
      });
    }
  }
  return list;
}

const GARBAGE_IDS = ['0', '-1', 'null', 'undefined', '__proto__', 'constructor', 'toString', '%2e%2e', '%00', '%ZZ', '%ED%A0%80', '%F0%9F%90%B3', '2147483648', '1e309', "'%3B%20DROP%20TABLE%20hosts%3B--", 'x'.repeat(5000), '%20'];
const GARBAGE_QUERY = ['', '%20', '-1', '0', '1e309', 'NaN', '2147483648', '9007199254740993', 'null', '__proto__', 'x'.repeat(5000), '%00', '%ED%A0%80', '%ZZ', '0s', '1y', '999999d', '1.5', '0x10', '2026-13-01', '9999-12-31T23:59:59Z', '-0', 'true', '%5B%5D', '%7B%7D', '%E2%80%AE'];

/** A plausible valid value for a schema (by name where the schema says little). */
function validValue(schema = {}, name, rng, ctx, caller, resolve) {
  schema = resolve(schema) ?? {};
  if (schema.allOf) return validValue(schema.allOf[0], name, rng, ctx, caller, resolve);
  if (schema.oneOf) return validValue(rng.pick(schema.oneOf), name, rng, ctx, caller, resolve);
  if (schema.enum) return rng.pick(schema.enum);
  if (name === 'email') return rng.chance(0.3) ? caller.email : `fuzz-${rng.hex(10)}@example.test`;
  if (schema.format === 'password' || name === 'password') return PASSWORD;
  if (schema.format === 'date-time' || ['from', 'at', 'startsAt', 'startedAt'].includes(name)) return new Date(ctx.now - rng.int(1, 3_600_000)).toISOString();
  if (['to', 'endsAt'].includes(name)) return new Date(ctx.now + rng.int(0, 60_000)).toISOString();
  if (name === 'enrollmentToken') return ctx.enrollmentTokens.pop() ?? `dpe_${rng.hex(40)}`;
  if (name === 'bucket') return rng.pick(['10s', '1m', '5m', '1h']);
  if (name === 'containerId') return rng.pick(caller.ids.containerId);
  if (name === 'hostId') return rng.pick(caller.ids.hostId);
  if (schema.pattern?.includes('0-9a-f')) return rng.hex(rng.pick([12, 64]));
  switch (schema.type) {
    case 'integer':
    case 'number':
      return rng.int(schema.minimum ?? 1, Math.min(schema.maximum ?? 24, (schema.minimum ?? 1) + 50));
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return Array.from({ length: rng.int(1, 2) }, () => validValue(schema.items, undefined, rng, ctx, caller, resolve));
    case 'object': {
      const object = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.5)) object[key] = validValue(property, key, rng, ctx, caller, resolve);
      }
      return object;
    }
    default:
      return schema.example ?? `fuzz-${rng.hex(6)}`;
  }
}

/** Ids for `{param}` in `path`: the ones set up by name, and those harvested from list answers. */
function idsFor(param, path, owner) {
  return [...(owner.ids[param] ?? []), ...(owner.harvested.get(path.slice(0, path.indexOf(`/{${param}}`))) ?? [])];
}

/**
 * One request for `op` as `caller` (`{token, viewerToken, agentToken, email, ids, harvested}`),
 * against `others` (the other organizations' callers). Resolves to `{label, signature, expect,
 * request}`; `expect.status` is asserted when set (401 for a missing credential, 404 for another
 * tenant's id), `expect.refuse` means no 2xx.
 */
export async function restCase(rng, op, caller, others, ctx) {
  const mutation = rng.weighted([
    [1, 'none'],
    [op.params.some((p) => p.in === 'path') ? 5 : 0, 'path'],
    [4, 'query'],
    [op.body ? 5 : 0, 'bodyField'],
    [op.method !== 'GET' ? 3 : 0, 'bodyWhole'],
    [op.security ? 2 : 0, 'auth'],
    [op.params.some((p) => p.in === 'header') ? 1 : 0, 'header'],
  ]);
  const labels = [];
  const categories = [];
  const note = (label, category = label) => (labels.push(label), categories.push(category));
  const expect = {};
  let token = op.security === 'agent' ? caller.agentToken : op.security ? caller.token : rng.chance(0.5) ? caller.token : undefined;
  const headers = {};

  let path = op.path;
  for (const param of op.params.filter((p) => p.in === 'path')) {
    let value = rng.pick(idsFor(param.name, op.path, caller)) ?? randomUuid(rng);
    if (op.method === 'DELETE' && param.name === 'hostId') value = await ctx.disposableHost(caller);
    if (mutation === 'path' && !labels.length) {
      const how = rng.weighted([[4, 'other'], [3, 'garbage'], [1, 'unknown'], [1, 'upper']]);
      const other = rng.pick(others.flatMap((o) => idsFor(param.name, op.path, o)));
      if (how === 'other' && other) {
        value = other;
        note(`${param.name} of another organization`);
        if (token === caller.token) expect.status = 404;
      } else if (how === 'upper') {
        value = value.toUpperCase();
        note(`${param.name} upper-case`);
      } else if (how === 'unknown') {
        value = randomUuid(rng);
        note(`${param.name} unknown`);
      } else {
        value = rng.pick(GARBAGE_IDS);
        note(`${param.name} = ${value.slice(0, 40)}`, `${param.name} garbage`);
      }
    }
    path = path.replace(`{${param.name}}`, value);
  }

  const query = [];
  for (const param of op.params.filter((p) => p.in === 'query')) {
    if (rng.chance(0.4)) query.push([param.name, encodeURIComponent(String(validValue(param.schema, param.name, rng, ctx, caller, op.resolve)))]);
  }
  if (mutation === 'query') {
    const names = op.params.filter((p) => p.in === 'query').map((p) => p.name);
    const name = names.length && rng.chance(0.7) ? rng.pick(names) : rng.pick([...PROTOTYPE_KEYS, 'extra', `${rng.pick(names.length ? names : ['x'])}[a]`]);
    const value = rng.pick(GARBAGE_QUERY);
    const how = rng.weighted([[5, 'value'], [1, 'twice'], [1, 'bracket']]);
    if (how === 'twice') query.push([name, value], [name, rng.pick(GARBAGE_QUERY)]);
    else if (how === 'bracket') query.push([`${name}%5B%5D`, value]);
    else query.push([name, value]);
    note(`query ${how} ${name}=${value.slice(0, 30)}`, `query ${PROTOTYPE_KEYS.includes(name) ? 'prototype-member name' : name} ${how === 'value' ? 'odd value' : how}`);
  }

  const request = { method: op.method, path: query.length ? `${path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : path, headers };
  if (op.body || (mutation === 'bodyWhole' && op.method !== 'GET')) {
    let body = op.path === '/api/agent/ingest' ? ctx.ingestFrame(rng) : validValue(op.body ?? { type: 'object' }, undefined, rng, ctx, caller, op.resolve);
    if (mutation === 'bodyField') body = mutateBody(rng, op, body, note, expect);
    request.text = toJsonText(body);
    if (mutation === 'bodyWhole') Object.assign(request, wholeBody(rng, request.text, note, expect, Boolean(op.body)));
  }
  for (const param of op.params.filter((p) => p.in === 'header')) {
    if (rng.chance(0.5) || mutation === 'header') headers[param.name] = mutation === 'header' ? rng.pick(['', ' ', 'x'.repeat(201), 'x'.repeat(10_000), 'é', '\t', 'a,b']) : `key-${rng.hex(8)}`;
    if (mutation === 'header') note(`header ${param.name} garbage`);
  }
  if (mutation === 'auth') {
    const how = rng.pick(['none', 'garbage', 'long', 'viewer', 'swapped', 'basic', 'other tenant']);
    token = { none: undefined, garbage: `Bearer ${rng.hex(20)}.${rng.hex(30)}.${rng.hex(20)}`, long: `Bearer ${'a'.repeat(8000)}`, viewer: caller.viewerToken, swapped: op.security === 'agent' ? caller.token : caller.agentToken, basic: 'Basic Zm9vOmJhcg==', 'other tenant': rng.pick(others).token }[how];
    note(`credential ${how}`);
    if (['none', 'garbage', 'long', 'basic'].includes(how) && op.security && op.path.startsWith('/api/')) expect.status = 401;
  }
  request.token = token;
  const signature = `${op.method} ${op.path} ${categories.join('; ') || 'valid'}`;
  return { label: `${request.method} ${request.path.slice(0, 200)} ${labels.join('; ') || 'valid'}`, signature, expect, request };
}

function mutateBody(rng, op, body, note, expect) {
  const schema = op.resolve(Array.isArray(body) ? op.resolve(op.body.items) : op.body) ?? {};
  const holder = Array.isArray(body) ? body[0] : body;
  if (!holder || typeof holder !== 'object') return body;
  const fields = Object.keys(schema.properties ?? holder);
  const field = fields.length && rng.chance(0.85) ? rng.pick(fields) : rng.pick(PROTOTYPE_KEYS);
  const property = op.resolve(schema.properties?.[field]) ?? {};
  const required = schema.required?.includes(field);
  const how = rng.weighted([[2, 'delete'], [2, 'null'], [3, 'wrongType'], [2, 'proto'], [1, 'deep'], [3, 'number'], [4, 'text'], [2, 'overlong'], [2, 'extra']]);
  const typed = property.type === 'string' || property.type === 'number' || property.type === 'integer';
  const set = (value, label, refuse, category) => {
    setOwn(holder, field, value);
    note(`body ${field} := ${label}`, `body ${field}: ${category}`);
    if (refuse) expect.refuse = true;
  };
  switch (how) {
    case 'delete':
      delete holder[field];
      note(`body ${field} deleted`);
      if (required && op.path !== '/api/agent/ingest') expect.refuse = true;
      break;
    case 'null':
      set(null, 'null', required && op.path !== '/api/agent/ingest', 'null');
      break;
    case 'wrongType': {
      const wrong = rng.pick(WRONG_TYPES.filter((w) => (property.type === 'string' ? w.type !== 'string' : w.type !== 'number')));
      set(wrong.value, wrong.label, typed && required && op.path !== '/api/agent/ingest', wrong.category);
      break;
    }
    case 'proto': {
      const proto = rng.pick(PROTOTYPE_OBJECTS());
      set(proto.value, proto.label, typed && required && op.path !== '/api/agent/ingest', proto.category);
      break;
    }
    case 'deep': {
      const deep = deepValue(rng, rng.pick([3_000, 5_000, 10_000]));
      set(deep.value, deep.label, typed && required && op.path !== '/api/agent/ingest', deep.category);
      break;
    }
    case 'number': {
      const number = rng.pick(NUMBERS);
      set(number.value, number.label, false, number.category);
      break;
    }
    case 'text': {
      const text = rng.pick(TEXTS);
      set(rng.chance(0.5) && typeof holder[field] === 'string' ? `${holder[field]}${text.value}` : text.value, `text ${text.label}`, false, text.category);
      break;
    }
    case 'overlong': {
      const length = rng.pick(OVERLONG_LENGTHS);
      set(overlong(length, rng), `${length}-character string`, property.maxLength !== undefined && length > property.maxLength && op.path !== '/api/agent/ingest', 'overlong string');
      break;
    }
    default: {
      const key = rng.pick(PROTOTYPE_KEYS);
      setOwn(holder, key, rng.pick([{ polluted: true }, 'x', 1, null]));
      note(`body extra key ${key}`, 'body extra key named after a prototype member');
    }
  }
  return body;
}

function wholeBody(rng, text, note, expect, hasBody) {
  const choice = rng.pick(['deep object', 'deep array', 'null', 'number', 'string', 'array', 'invalid JSON', 'empty', 'text/plain', 'form', 'over 1 MiB', 'duplicate keys', 'lone surrogate escape']);
  note(`body ${choice}`);
  const refuse = () => hasBody && (expect.refuse = true);
  switch (choice) {
    case 'deep object':
      refuse();
      return { text: deepText(rng.pick([5_000, 10_000]), 'object', '{}') };
    case 'deep array':
      refuse();
      return { text: deepText(rng.pick([5_000, 10_000]), 'array', '{}') };
    case 'null':
    case 'number':
    case 'string':
      refuse();
      return { text: { null: 'null', number: '1', string: '"x"' }[choice] };
    case 'array':
      return { text: `[${text}]` };
    case 'invalid JSON':
      refuse();
      return { text: text.slice(0, Math.max(1, text.length - 1)) };
    case 'empty':
      return { text: '' };
    case 'text/plain':
      return { contentType: 'text/plain' };
    case 'form':
      return { contentType: 'application/x-www-form-urlencoded', text: 'email=a%40b.c&password=x&__proto__%5Bx%5D=1' };
    case 'over 1 MiB':
      refuse();
      return { text: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}` };
    case 'duplicate keys':
      return { text: text.startsWith('{') && text.length > 2 ? `${text.slice(0, -1)},${text.slice(1)}` : text };
    default:
      return { text: text.replace(/"([^"\\]{2,})"/, '"$1\\ud800"') };
  }
}

/**
 * Records the ids of a 200 list answer under its collection (`/api/hosts/{hostId}/containers` →
 * `/api/containers`), so later cases aim at `/api/containers/{containerId}` with them too.
 */
export function harvest(owner, op, answer) {
  if (op.method !== 'GET' || answer.status !== 200) return;
  const items = Array.isArray(answer.json) ? answer.json : Array.isArray(answer.json?.items) ? answer.json.items : [];
  const ids = items.map((item) => item?.id).filter((id) => typeof id === 'string');
  if (ids.length) owner.harvested.set(`/api/${op.path.split('/').at(-1)}`, ids.slice(-50));
}
