// An agent socket for the fuzzer: pairs answers with seqs, bounds the wait for each, and records
// what the contract forbids (a second answer for a seq, an answer for a seq never sent, a close).
import WebSocket from 'ws';

export class FuzzSocket {
  /** Answers with no pending seq: `{frame, why: 'duplicate'|'unknown seq'|'late'}`. */
  extra = [];
  commands = [];
  closed;
  #pending = new Map();
  #settled = new Set();
  #timedOut = new Set();
  #unsequenced = [];
  #seq = 1;
  #bigSeq = Number.MAX_SAFE_INTEGER;

  constructor(socket, name) {
    this.socket = socket;
    this.name = name;
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        for (const waiter of [...this.#pending.values(), ...this.#unsequenced]) waiter.settle({ closed: code });
        this.#pending.clear();
        this.#unsequenced = [];
        resolve(this.closeInfo);
      }),
    );
    socket.on('error', () => {});
    socket.on('message', (data) => this.#receive(data.toString()));
  }

  static open(baseUrl, token, name) {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/agent`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const client = new FuzzSocket(socket, name);
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => reject(new Error(`${name}: upgrade refused with ${res.statusCode}`)));
      socket.once('error', reject);
      client.welcomed = resolve.bind(null, client);
    });
  }

  get open() {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** A fresh seq; now and then one near 2^53, which the contract allows too. */
  nextSeq(rng) {
    return rng.chance(0.02) ? this.#bigSeq-- : this.#seq++;
  }

  /** Sends `text` carrying `seq`; resolves with `{answer}`, `{timeout}` after `timeoutMs`, or `{closed}`. */
  sendSequenced(seq, text, timeoutMs, binary = false) {
    return this.#wait(timeoutMs, (waiter) => {
      this.#pending.set(seq, waiter);
      waiter.onTimeout = () => {
        this.#pending.delete(seq);
        this.#timedOut.add(seq);
      };
      this.socket.send(binary ? Buffer.from(text) : text, { binary });
    });
  }

  /** Sends a frame that has no usable seq; only one may be in flight (answers carry seq null). */
  sendUnsequenced(text, timeoutMs, binary = false) {
    return this.#wait(timeoutMs, (waiter) => {
      this.#unsequenced.push(waiter);
      waiter.onTimeout = () => (this.#unsequenced = this.#unsequenced.filter((w) => w !== waiter));
      this.socket.send(binary ? Buffer.from(text) : text, { binary });
    });
  }

  close() {
    if (this.open) this.socket.close(1000);
    return this.closed;
  }

  #wait(timeoutMs, register) {
    if (!this.open) return Promise.resolve({ closed: this.closeInfo?.code ?? 'not open' });
    return new Promise((resolve) => {
      const waiter = {
        settle: (result) => {
          clearTimeout(waiter.timer);
          resolve(result);
        },
      };
      waiter.timer = setTimeout(() => {
        waiter.onTimeout();
        resolve({ timeout: true });
      }, timeoutMs);
      register(waiter);
    });
  }

  #receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.extra.push({ frame: text.slice(0, 200), why: 'not JSON' });
      return;
    }
    if (frame.type === 'welcome') return this.welcomed?.();
    if (frame.type === 'command') return void this.commands.push(frame);
    if (frame.type !== 'ack' && frame.type !== 'error') return void this.extra.push({ frame, why: 'unknown frame type' });
    if (frame.seq === null) {
      const waiter = this.#unsequenced.shift();
      return waiter ? waiter.settle({ answer: frame }) : void this.extra.push({ frame, why: 'unrequested answer with seq null' });
    }
    const waiter = this.#pending.get(frame.seq);
    if (waiter) {
      this.#pending.delete(frame.seq);
      this.#settled.add(frame.seq);
      return waiter.settle({ answer: frame });
    }
    const why = this.#timedOut.delete(frame.seq) ? 'late' : this.#settled.has(frame.seq) ? 'duplicate' : 'unknown seq';
    this.extra.push({ frame, why });
  }
}
