import WebSocket from 'ws';

export type Answer = { type: 'ack'; seq: number } | { type: 'error'; seq: number | null; code: string; message: string; details?: { path: string; message: string }[]; retryAfterMs?: number };

/**
 * A real agent socket for tests, written against CONTRACT.md only: connects with a bearer token,
 * waits for `welcome`, and pairs every answer with the frame of the same seq.
 */
export class AgentClient {
  readonly frames: any[] = [];
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private readonly unsequenced: Answer[] = [];
  private nextSeq = 1;
  closed: Promise<{ code: number; reason: string }>;
  /** Headers of the 101 answer (e.g. which instance a load balancer chose). */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        // Fail fast: a frame sent on a socket that closed will never be answered.
        for (const [seq, settle] of this.waiting) settle({ type: 'error', seq, code: `closed:${code}`, message: 'socket closed before an answer' });
        this.waiting.clear();
      }),
    );
    socket.once('upgrade', (response) => (this.upgradeHeaders = response.headers));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      if (frame.type !== 'ack' && frame.type !== 'error') return;
      const resolve = frame.seq === null ? undefined : this.waiting.get(frame.seq);
      if (resolve) {
        this.waiting.delete(frame.seq);
        resolve(frame);
      } else this.unsequenced.push(frame);
    });
  }

  static connect(baseUrl: string, token: string, options: WebSocket.ClientOptions = {}): Promise<AgentClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/agent`, { headers: { authorization: `Bearer ${token}` }, ...options });
    const client = new AgentClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
      socket.once('error', reject);
      // A server that is shutting down accepts the upgrade, then closes (1001) without a welcome.
      socket.once('close', (code) => reject(new Error(`socket closed (${code}) before welcome`)));
      const check = () => {
        if (client.frames.some((f) => f.type === 'welcome')) resolve(client);
        else if (socket.readyState === socket.OPEN) setTimeout(check, 5);
      };
      socket.once('open', check);
    });
  }

  /** Sends a frame (seq assigned unless given) and resolves with its answer. */
  send(frame: Record<string, unknown>): Promise<Answer> {
    const seq = (frame.seq as number | undefined) ?? this.nextSeq++;
    const answer = new Promise<Answer>((resolve) => this.waiting.set(seq, resolve));
    this.socket.send(JSON.stringify({ ...frame, seq }));
    return answer;
  }

  /** Sends raw text; resolves with the next answer that carries no seq (e.g. invalid_json). */
  async sendRaw(text: string): Promise<Answer> {
    this.socket.send(text);
    for (;;) {
      const answer = this.unsequenced.shift();
      if (answer) return answer;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}
