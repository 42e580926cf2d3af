// The dashboards of bench/live.mjs, in a worker thread of their own, so that receiving and parsing
// their frames never stalls the agents' load generator (real dashboards are other machines).
// Messages in: {open: {base, token, topicSets, untimed, bases?}} (bases: one instance per dashboard, else base), {record: boolean}, {close: true}, {report: true}.
// Messages out: {opened}, {closed}, {report: {latencies, at, frames, slow}} (at: each latency's receipt time, ms;
// slow: the samples over SLOW_MS, each {dashboard, topic, ms, at}, to tell where they waited).
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';

let sockets = [];
let record = false;
let latencies = [];
let at = [];
let frames = 0;
let slow = [];
const SLOW_MS = 300;
/** Topics whose samples are not stamped with their send time (the saturating agents'): counted, not timed. */
let untimed = new Set();
const TOPIC = /"topic":"([^"]+)"/;

async function openOne(base, token, topics, dashboard) {
  const res = await fetch(`${base}/api/live/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`ticket: ${res.status}`);
  const { ticket } = await res.json();
  const socket = new WebSocket(`${base.replace('http', 'ws')}/live?ticket=${encodeURIComponent(ticket)}`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('message', (raw) => {
    frames++;
    if (!record || untimed.has(TOPIC.exec(raw.toString('latin1', 0, 160))?.[1])) return;
    const frame = JSON.parse(raw);
    if (frame.type !== 'metrics') return;
    const now = Date.now();
    // Agents stamp each sample with its send time, on this same machine's clock.
    for (const sample of frame.data) {
      const ms = now - Date.parse(sample.ts);
      latencies.push(ms);
      at.push(now);
      if (ms > SLOW_MS) slow.push({ dashboard, topic: frame.topic, ms, at: now });
    }
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics }));
  return socket;
}

parentPort.on('message', async (message) => {
  if (message.open) {
    const { base, bases, token, topicSets } = message.open;
    untimed = new Set(message.open.untimed);
    sockets = [];
    // Ten at a time: one by one, 100 dashboards took 8-15 s to open while ingest was saturated.
    for (let d = 0; d < topicSets.length; d += 10) {
      sockets.push(...(await Promise.all(topicSets.slice(d, d + 10).map((topics, k) => openOne(bases?.[d + k] ?? base, token, topics, d + k)))));
    }
    parentPort.postMessage({ opened: sockets.length });
  } else if ('record' in message) {
    record = message.record;
  } else if (message.report) {
    parentPort.postMessage({ report: { latencies, at, frames, slow } });
    slow = [];
    latencies = [];
    at = [];
    frames = 0;
  } else if (message.close) {
    await Promise.all(sockets.map((socket) => new Promise((resolve) => (socket.readyState === socket.CLOSED ? resolve() : (socket.once('close', resolve), socket.close())))));
    sockets = [];
    parentPort.postMessage({ closed: true });
  }
});
