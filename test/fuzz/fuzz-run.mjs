// Runs a fuzz campaign against a running server: builds the world, drives cases on a few lanes,
// interleaves verified control frames, checks health, and returns the report's summary.
import { Worker } from 'node:worker_threads';
import { controlFrame, ControlLedger, readApi } from './control-frames.mjs';
import { baseFrame, MAX_PAYLOAD_BYTES, randomKind, sequencedCase, sizeCase, unsequencedCase } from './frame-cases.mjs';
import { buildWorld, withHostLock } from './fuzz-world.mjs';
import { request } from './http-client.mjs';
import { ownObject, toJsonText } from './json-text.mjs';
import { judgeFrame, judgeRest, RESEND_LATER } from './judge.mjs';
import { FuzzReport } from './report.mjs';
import { caseSeed, randomSeed, Rng } from './random.mjs';
import { harvest, restCase } from './rest-mutations.mjs';
import { checkRollups } from './rollup-check.mjs';

const CHANNELS = [[50, 'socket'], [10, 'ingest'], [6, 'raw'], [2, 'size'], [32, 'rest']];
const CONTROL_KINDS = [[4, 'metrics'], [2, 'host_metrics'], [3, 'logs'], [2, 'processes'], [1, 'containers'], [1, 'hello'], [1, 'command_result']];
const SERIAL_KINDS = new Set(['containers', 'hello']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.());
const clip = (text) => (typeof text === 'string' ? text : text.toString('latin1'));

export const DEFAULTS = { cases: 2_000, lanes: 12, answerTimeoutMs: 30_000, staleMs: 5_000, controlEvery: 4, healthEvery: 250, progressEvery: 500 };

/**
 * Fuzzes the server at `baseUrl`. Options: cases, seed, lanes, answerTimeoutMs (the bound on every
 * answer), controlEvery, only/exclude (RegExp on case labels), caseIndexes (replay just these),
 * serverAlive() (false once the server process died), log(message).
 */
export async function runFuzz(options) {
  const o = { ...DEFAULTS, seed: randomSeed(), log: () => {}, serverAlive: () => true, ...options };
  const run = new FuzzRun(o);
  await run.start();
  return run.report.summary();
}

class FuzzRun {
  background = new Set();
  stopped = false;
  restSeq = 1;

  constructor(o) {
    this.o = o;
    this.report = new FuzzReport(o.seed);
    this.ledger = new ControlLedger(Date.now());
  }

  async start() {
    const { o } = this;
    this.world = await buildWorld(o.baseUrl, o.seed);
    this.report.count('operations', this.world.operations.length);
    o.log(`set up in ${Math.round(performance.now() - this.report.started)} ms`);
    const indexes = o.caseIndexes ?? Array.from({ length: o.cases }, (_, i) => i);
    let next = 0;
    const lane = async () => {
      while (!this.stopped && next < indexes.length) await this.step(indexes[next++], !o.caseIndexes);
    };
    await Promise.all(Array.from({ length: Math.min(o.lanes, indexes.length) }, lane));
    o.log('all cases sent; waiting for the last answers');
    while (this.background.size) await Promise.allSettled([...this.background]);
    await checkRollups(this.world, this.ledger, this.report, o.baseUrl);
    await this.health();
    for (const socket of this.world.sockets) {
      for (const { frame, why } of socket.extra) this.report.fail('extraAnswer', `${socket.name}: ${why}`, JSON.stringify(frame), -1);
    }
    await Promise.all(this.world.sockets.map((socket) => socket.close()));
  }

  async step(index, withControls) {
    if (index % this.o.healthEvery === 0) await this.health();
    if (withControls && index % this.o.controlEvery === 0) this.track(this.control(index));
    const rng = new Rng(caseSeed(this.o.seed, index));
    const channel = rng.weighted(CHANNELS);
    const started = performance.now();
    const work = this.track(channel === 'ingest' ? this.socket(rng, index, 'ingest') : this[channel](rng, index));
    await Promise.race([work, sleep(this.o.staleMs)]);
    this.report.count(`ms ${channel}`, Math.round(performance.now() - started));
    this.report.count(`n ${channel}`);
    if (index % this.o.progressEvery === this.o.progressEvery - 1) this.o.log(`${index + 1} cases, ${this.report.failures} failures`);
  }

  track(promise) {
    const tracked = promise.catch((error) => this.report.fail('crash', `fuzzer error: ${error.message}`, String(error.stack), -1));
    this.background.add(tracked);
    tracked.finally(() => this.background.delete(tracked));
    return tracked;
  }

  selected(label) {
    const { only, exclude } = this.o;
    return (!only || only.test(label)) && !(exclude && exclude.test(label));
  }

  counted(channel, label) {
    if (!this.selected(`${channel} ${label}`)) return false;
    this.report.count('cases');
    this.report.count(`case ${channel}`);
    return true;
  }

  async socket(rng, index, via = 'socket') {
    const host = rng.pick(this.world.main);
    const c = sequencedCase(rng, this.frameContext(host));
    if (!this.counted(via, c.label)) return;
    const send = async () => {
      const seq = host.socket.nextSeq(rng);
      const text = c.render(seq);
      // A mutation can grow a frame past the limit (300,000 emoji): it goes over HTTP (413), since
      // on the socket its 1009 would also cut off the frames in flight beside it.
      const over = Buffer.byteLength(text) > MAX_PAYLOAD_BYTES;
      if (over) c.expect = 'oversize';
      const example = `${c.label} | ${over ? 'ingest' : via} frame: ${text}`;
      const outcome = via === 'socket' && !over ? await this.sendOn(host, seq, text, c.binary) : await this.ingest(host, text);
      judgeFrame(this.report, c, outcome, { seq, via, caseIndex: index, example });
      // Unanswered, it may still be applied later, after a control snapshot that then reads back wrong.
      if ((outcome.timeout || outcome.status === 0) && SERIAL_KINDS.has(c.kind)) host.serialUnsettled = true;
    };
    return SERIAL_KINDS.has(c.kind) ? withHostLock(host, send, this.o.answerTimeoutMs) : send();
  }

  ingest(host, text) {
    return request(this.o.baseUrl, 'POST', '/api/agent/ingest', { token: host.agentToken, text, timeoutMs: this.o.answerTimeoutMs });
  }

  raw(rng, index) {
    const c = unsequencedCase(rng, this.frameContext(this.world.raw));
    const via = rng.chance(0.7) || c.socketOnly ? 'socket' : 'ingest';
    if (!this.counted('raw', `${via} ${c.label}`)) return Promise.resolve();
    const example = `${c.label} | ${via} text: ${clip(c.text)}`;
    return withHostLock(this.world.raw, async () => {
      const outcome = via === 'socket' ? await this.sendOn(this.world.raw, null, c.text, c.binary) : await this.ingest(this.world.raw, c.text);
      judgeFrame(this.report, { signature: `no seq: ${c.label}`, expect: 'refuse' }, outcome, { seq: null, via, caseIndex: index, example });
    }, this.o.staleMs);
  }

  size(rng, index) {
    const c = sizeCase(rng, this.frameContext(this.world.big));
    const via = rng.chance(0.7) ? 'socket' : 'ingest';
    if (!this.counted('size', `${via} ${c.label}`)) return Promise.resolve();
    const host = this.world.big;
    return withHostLock(host, async () => {
      const seq = host.socket.nextSeq(rng);
      const text = c.render(seq);
      const example = `${c.label} | ${via} frame: ${text}`;
      const outcome = via === 'socket' ? await this.sendOn(host, seq, text) : await this.ingest(host, text);
      judgeFrame(this.report, { signature: c.label, expect: c.expect }, outcome, { seq, via, caseIndex: index, example });
    }, this.o.answerTimeoutMs);
  }

  async rest(rng, index) {
    const { R, F, O } = this.world.tenants;
    const op = rng.pick(this.world.operations);
    const caller = rng.chance(0.75) ? R : F;
    const c = await restCase(rng, op, caller, [caller === R ? F : R, O], this.restContext());
    if (!this.counted('rest', c.label)) return;
    this.report.count(`operation ${op.method} ${op.path}`);
    const { request: r } = c;
    const res = await request(this.o.baseUrl, r.method, r.path, { token: r.token, text: r.text, contentType: r.contentType, headers: r.headers, timeoutMs: this.o.answerTimeoutMs });
    const example = `${c.label} | ${r.method} ${r.path}${r.text !== undefined ? ` body: ${r.text}` : ''} → ${res.status} ${res.text?.slice(0, 200) ?? res.error}`;
    judgeRest(this.report, c, res, { caseIndex: index, example, isIngest: op.path === '/api/agent/ingest' });
    // Only answers to the caller's own credentials hold its ids: a case sent with another tenant's token lists that tenant's.
    if (r.token === caller.token || r.token === caller.viewerToken) harvest(caller, op, res);
  }

  /** A control frame: valid, with known content, verified through the read API once answered. */
  async control(index) {
    const rng = new Rng(caseSeed(this.o.seed ^ 0xc0ffee, index));
    const { world, ledger, report, o } = this;
    const host = rng.chance(0.7) ? rng.pick(world.main) : world.other;
    const kind = rng.weighted(CONTROL_KINDS);
    const via = rng.chance(0.8) ? 'socket' : 'ingest';
    const api = readApi(o.baseUrl, host.tenant.token);
    const run = async () => {
      let commandId;
      if (kind === 'command_result') {
        const res = await request(o.baseUrl, 'POST', `/api/containers/${host.pool[0].apiId}/actions`, { token: host.tenant.token, body: { action: 'restart' } });
        if (res.status !== 202) return report.count('control skipped');
        commandId = res.json.commandId;
      }
      const ctl = controlFrame(kind, rng, { host, ledger, api, commandId });
      const seq = host.socket.nextSeq(rng);
      const text = toJsonText(ownObject([['seq', seq], ...Object.entries(ctl.frame)]));
      report.count('control frames');
      const outcome = via === 'socket' ? await this.sendOn(host, seq, text) : await this.ingest(host, text);
      const code = judgeFrame(report, { signature: `control ${kind} on ${host === world.other ? 'the other tenant' : 'the fuzzed tenant'}`, expect: 'ack' }, outcome, { seq, via, caseIndex: index, example: `control ${kind} | ${via} frame: ${text}` });
      const stored = code === 'ack' ? 'stored' : RESEND_LATER.has(code) ? 'none' : 'unknown';
      for (const { series, ms, sample } of ctl.samples) ledger.record(series, ms, stored, sample);
      if (stored === 'unknown') return report.count('control not acked');
      if (SERIAL_KINDS.has(kind) && host.serialUnsettled) return report.count('control unverifiable');
      if (stored === 'none') report.count('control not acked');
      let mismatches;
      try {
        mismatches = (await ctl.verify(stored === 'stored')).filter(Boolean);
      } catch (error) {
        mismatches = [`reading it back failed: ${error.message.slice(0, 200)}`];
      }
      report.count(mismatches.length ? 'control mismatched' : 'control verified');
      for (const mismatch of mismatches) report.fail('storedWrong', `control ${kind}: ${mismatch.replace(/[0-9a-f]{12}/g, '<id>').replace(/expected .*/, 'differs')}`, `${mismatch} | frame: ${text}`, index);
    };
    return SERIAL_KINDS.has(kind) ? withHostLock(host, run, this.o.answerTimeoutMs) : run();
  }

  /** Sends on the host's socket, reconnecting first when an earlier frame closed it. */
  async sendOn(host, seq, text, binary = false) {
    if (!host.socket.open) {
      host.reconnecting ??= this.world.connect(host).finally(() => (host.reconnecting = undefined));
      await host.reconnecting;
    }
    const timeout = this.o.answerTimeoutMs;
    return seq === null ? host.socket.sendUnsequenced(text, timeout, binary) : host.socket.sendSequenced(seq, text, timeout, binary);
  }

  frameContext(host) {
    const { F } = this.world.tenants;
    return { now: Date.now(), noiseIds: this.world.noiseIds, poolIds: host.pool.map((p) => p.dockerId), commandIds: F.ids.commandId };
  }

  restContext() {
    const { world } = this;
    return {
      now: Date.now(),
      enrollmentTokens: world.enrollmentTokens,
      disposableHost: (tenant) => world.disposableHost(tenant),
      ingestFrame: (rng) => ({ ...baseFrame(rng, randomKind(rng), this.frameContext(world.rest)), seq: this.restSeq++ }),
    };
  }

  async health() {
    if (!this.o.serverAlive()) {
      this.report.count('crash');
      this.report.fail('crash', 'server process exited', 'the server exited during the run', -1);
      this.stopped = true;
      return;
    }
    const res = await request(this.o.baseUrl, 'GET', '/api/health', { timeoutMs: this.o.answerTimeoutMs });
    this.report.count('health checks');
    if (res.status !== 200) this.report.fail('notAlive', `GET /api/health → ${res.status || res.error}`, `GET /api/health → ${res.status} ${res.error ?? res.text}`, -1);
  }
}

/** runFuzz on a worker thread (options must be cloneable: no log or serverAlive functions). */
export function runFuzzInWorker(options) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fuzz worker exited with ${code} before reporting`)));
  });
}
