// Agent frame cases: what to send (rendered once the seq is known), how, and what the contract
// expects. Channels: a pipelined agent socket, POST /api/agent/ingest, a socket for frames without
// a usable seq (answered with seq null, so sent one at a time), and frames at the size limits.
import { validFrame, validItem } from './frame-kinds.mjs';
import { mutateFrame } from './frame-mutations.mjs';
import { deepText, ownObject, raw, toJsonText } from './json-text.mjs';

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
const KIND_WEIGHTS = [[4, 'metrics'], [3, 'host_metrics'], [3, 'logs'], [3, 'processes'], [4, 'containers'], [2, 'hello'], [2, 'command_result'], [1, 'container_events']];
export const randomKind = (rng) => rng.weighted(KIND_WEIGHTS);
/** Kinds whose unmutated frames the contract requires to be acknowledged. */
const MUST_ACK = new Set(['metrics', 'host_metrics', 'logs', 'processes', 'containers', 'hello', 'container_events']);

/** `{type, seq, …}` as text, seq placed and spelled as chosen. */
function render(frame, seq, rng) {
  const spelling = rng.weighted([[30, String(seq)], [1, `${seq}.0`], [1, `${seq}e0`], [1, `${seq}.000e+0`]]);
  const entries = Object.keys(frame).map((key) => [key, frame[key]]);
  const at = rng.chance(0.7) ? 0 : rng.chance(0.5) ? entries.length : rng.int(0, entries.length);
  entries.splice(at, 0, ['seq', raw(spelling)]);
  return toJsonText(ownObject(entries));
}

/** A valid frame to start from: noise containers of the host, its pool kept in inventory snapshots. */
export function baseFrame(rng, kind, ctx) {
  const frame = validFrame(kind, rng, { containers: ctx.noiseIds, nowMs: ctx.now, commandIds: ctx.commandIds });
  if (kind === 'containers') frame.data.unshift(...ctx.poolIds.map((id) => validItem('containers', rng, { containerId: id, ms: ctx.now - 60_000 })));
  return frame;
}

/** Valid by the contract, but at the edges of what storage and rollups hold. */
function edgeFrame(rng, kind, ctx) {
  const id = rng.pick(ctx.noiseIds);
  const minute = Math.floor((ctx.now - rng.int(1, 20) * 60_000) / 60_000) * 60_000 + rng.int(0, 30_000);
  const rows = (count, make) => Array.from({ length: count }, (_, i) => make(i, minute + i));
  const pick = rng.int(0, 5);
  if (pick === 0) {
    // 3,000 rows: 1,500 deltas of 2^53 add up past what a bigint holds.
    const count = rng.pick([rng.int(2, 40), 3_000]);
    return { label: `metrics counters alternating 2^53-1 and 0 within a minute (${count > 40 ? 3000 : 'a few'} rows)`, frame: { type: 'metrics', data: rows(count, (i, ms) => validItem('metrics', rng, { containerId: id.slice(0, 12), ms, pid: 1 })).map((item, i) => ({ ...item, networkRx: i % 2 ? 0 : 2 ** 53 - 1, networkTx: i % 2 ? 2 ** 53 - 1 : 0, blockRead: 2 ** 53 - 1, memoryUsed: 2 ** 53 - 1, cpuPercent: 100_000 })) } };
  }
  if (pick === 1) {
    return { label: 'host_metrics load 1.7e308 twice within a minute', frame: { type: 'host_metrics', data: rows(rng.int(2, 4), (i, ms) => ({ ...validItem('host_metrics', rng, { ms }), load1: 1.7e308, load5: 1.7976931348623157e308, memoryUsed: 2 ** 53 - 1, networkRx: i % 2 ? 0 : 2 ** 53 - 1 })) } };
  }
  if (pick === 2) {
    return { label: 'processes with int4 maxima', frame: { type: 'processes', ts: ctx.now - rng.int(1_000, 600_000), data: rows(rng.int(1, 3), (i) => ({ ...validItem('processes', rng, { pid: 2 ** 31 - 1 - i }), ppid: 2 ** 31 - 1, threads: 2 ** 31 - 1, memoryRss: 2 ** 53 - 1, cpuPercent: 100_000, memoryPercent: 100 })) } };
  }
  if (pick === 3) {
    const item = validItem('containers', rng, { containerId: rng.hex(64), ms: ctx.now });
    item.labels = ownObject(Array.from({ length: rng.pick([100, 1000]) }, (_, i) => [`label.${i}`, `value ${i}`]));
    item.ports = Array.from({ length: rng.pick([999, 1000]) }, (_, i) => ({ privatePort: i, type: 'tcp' }));
    return { label: 'containers with 1000 labels and 1000 ports', frame: { type: 'containers', data: [...ctx.poolIds.map((p) => validItem('containers', rng, { containerId: p, ms: ctx.now })), item] } };
  }
  if (pick === 4) return { label: 'logs line of 16 KiB + 1', frame: { type: 'logs', data: [{ containerId: id, ts: minute, stream: 'stdout', line: 'x'.repeat(16_385) }] } };
  return { label: 'hello with only the required fields', frame: { type: 'hello', agentVersion: '0', hostname: 'h' } };
}

/**
 * A frame with a seq, for the pipelined socket or the ingest endpoint: `{kind, label, signature,
 * expect: 'ack'|'refuse'|'any', render(seq), binary}`.
 */
export function sequencedCase(rng, ctx) {
  const kind = randomKind(rng);
  const base = baseFrame(rng, kind, ctx);
  const variant = rng.weighted([[86, 'mutated'], [7, 'edge'], [7, 'valid']]);
  const binary = rng.chance(0.03);
  const done = (c) => ({ ...c, binary, render: (seq) => render(c.frame, seq, rng) });
  if (variant === 'valid') return done({ kind, frame: base, label: `${kind} valid`, signature: `${kind} valid`, expect: MUST_ACK.has(kind) ? 'ack' : 'any' });
  if (variant === 'edge') {
    const edge = edgeFrame(rng, kind, ctx);
    return done({ kind: edge.frame.type, frame: edge.frame, label: edge.label, signature: edge.label, expect: 'any' });
  }
  const mutated = mutateFrame(rng, kind, base, ctx.now);
  return done({ kind, ...mutated });
}

const NOT_A_SEQ = [
  ['seq 0', 0], ['seq -1', -1], ['seq 1.5', 1.5], ['seq "1"', '1'], ['seq null', null], ['seq true', true], ['seq []', []], ['seq {}', {}],
  ['seq -0', raw('-0')], ['seq 2^53', raw('9007199254740992')], ['seq 2^53+1', raw('9007199254740993')], ['seq 1e309', raw('1e309')], ['seq 1e400', raw('1e400')],
  ['seq {"constructor"}', ownObject([['constructor', 1]])], ['seq 3000-deep', raw(deepText(3000))],
];

/**
 * A frame the server cannot pair with a seq: answered once with `seq: null`. `text` is a string or
 * bytes; `socketOnly` when HTTP may legitimately read it (a JSON parser may skip a BOM).
 */
export function unsequencedCase(rng, ctx) {
  const frame = baseFrame(rng, randomKind(rng), ctx);
  const valid = toJsonText({ seq: 1, ...frame });
  const choice = rng.int(0, 9);
  if (choice <= 2) {
    const [label, seq] = rng.pick(NOT_A_SEQ);
    return { label, text: toJsonText({ ...frame, seq }) };
  }
  if (choice === 3) return { label: 'seq missing', text: toJsonText(frame) };
  if (choice === 4) return { label: 'truncated JSON', text: valid.slice(0, rng.int(1, valid.length - 1)) };
  if (choice === 5) return rng.pick([
    { label: 'garbage after JSON', text: `${valid}x` }, { label: 'two frames in one', text: `${valid}${valid}` }, { label: 'BOM before JSON', text: `\ufeff${valid}`, socketOnly: true },
    { label: 'empty text', text: '' }, { label: 'single quotes', text: valid.replaceAll('"', "'") }, { label: 'NaN', text: 'NaN' }, { label: 'unclosed 100000-deep', text: '['.repeat(100_000) },
  ]);
  if (choice === 6) return rng.pick([
    { label: 'JSON null', text: 'null' }, { label: 'JSON array', text: `[${valid}]` }, { label: 'JSON [[]]', text: '[[]]' }, { label: 'JSON number', text: '1' },
    { label: 'JSON string', text: '"metrics"' }, { label: 'JSON true', text: 'true' }, { label: '100000-deep array', text: deepText(100_000) },
  ]);
  if (choice === 7) return { label: 'frame nested 10000 deep without seq', text: deepText(10_000, 'object', valid) };
  if (choice === 8) return { label: 'invalid UTF-8 bytes before the JSON (binary)', text: Buffer.concat([Buffer.from([0xed, 0xa0, 0x80, 0xff, 0xc0, 0xaf]), Buffer.from(valid)]), binary: true };
  return { label: 'prototype keys, no seq', text: toJsonText(ownObject([['__proto__', { seq: 1, type: 'metrics' }], ['constructor', { prototype: { seq: 1 } }], ['type', frame.type]])) };
}

/**
 * Frames at the limits: 5,000 and 5,001 items, and sizes around `maxPayloadBytes`. `expect`:
 * 'too_many_items', 'oversize' (socket closed with 1009, or 413), 'refuse' or 'any'.
 */
export function sizeCase(rng, ctx) {
  const id = rng.pick(ctx.noiseIds).slice(0, 12);
  const logItem = (i) => ({ containerId: id, ts: ctx.now - 100_000 + i, stream: 'stdout', line: `l${i}` });
  const choice = rng.int(0, 6);
  const items = (label, data, expect) => ({ label, expect, render: (seq) => toJsonText({ type: 'logs', seq, data }) });
  if (choice === 0) return items('5001 empty items', Array.from({ length: 5001 }, () => ({})), 'too_many_items');
  if (choice === 1) return items('5001 valid items', Array.from({ length: 5001 }, (_, i) => logItem(i)), 'too_many_items');
  if (choice === 2) return items('5000 valid items', Array.from({ length: 5000 }, (_, i) => logItem(i)), 'any');
  if (choice === 3) return items('5000 [[]] items', Array.from({ length: 5000 }, () => [[]]), 'refuse');
  const delta = choice === 4 ? -rng.pick([0, 1, 100]) : choice === 5 ? rng.pick([1, 100, 4096]) : 3 * MAX_PAYLOAD_BYTES;
  const target = MAX_PAYLOAD_BYTES + delta;
  return {
    label: delta === 0 ? 'logs frame of exactly 1 MiB' : delta < 0 ? `logs frame of 1 MiB - ${-delta} bytes` : `frame of 1 MiB + ${delta} bytes`,
    expect: delta <= 0 ? 'any' : 'oversize',
    render: (seq) => sizedLogs(seq, target, id, ctx.now),
  };
}

/** A logs frame of exactly `bytes` bytes (ASCII): 16,000-character lines and one that pads. */
function sizedLogs(seq, bytes, id, now) {
  const lines = Math.floor(bytes / 16_100);
  const data = Array.from({ length: lines + 1 }, (_, i) => ({ containerId: id, ts: now - 200_000 + i, stream: 'stderr', line: i < lines ? 'y'.repeat(16_000) : '' }));
  const empty = toJsonText({ type: 'logs', seq, data });
  data[lines].line = 'z'.repeat(bytes - empty.length);
  return toJsonText({ type: 'logs', seq, data });
}

