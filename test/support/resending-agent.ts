import { AgentClient, type Answer } from './agent-client.js';

/** Answers after which the contract says to resend later: nothing of the frame was stored. */
const RETRYABLE = new Set(['overloaded', 'unavailable', 'rate_limited']);
const RECONNECT_MS = 250;

export interface SpooledFrame<Key = unknown> {
  seq: number;
  type: string;
  body: Record<string, unknown>;
  /** Identities of the frame's rows, for checking what was stored. */
  keys: Key[];
  sends: number;
  ackedAt?: number;
}

/**
 * A simulated agent that delivers the way the reference agent does (packages/agent/src/delivery.ts):
 * every frame is spooled until acked, at most `window` are unanswered at a time, lowest seq first;
 * `overloaded`/`unavailable`/`rate_limited` are resent after `retryAfterMs`; whatever was in
 * flight when the socket went away is resent on the next one, which it keeps reconnecting.
 */
export class ResendingAgent<Key = unknown> {
  readonly acked: SpooledFrame<Key>[] = [];
  /** Frames refused for good (any code but the retryable ones): none are expected here. */
  readonly refused: Array<{ frame: SpooledFrame<Key>; answer: Answer }> = [];
  readonly retryableAnswers = new Map<string, number>();
  readonly closeCodes: number[] = [];
  /** Acks of frames that were already acked: the contract allows none. */
  extraAcks = 0;
  connections = 0;
  /** Per connection, the instance a load balancer named in the upgrade answer (X-DockPulse-Instance), if any. */
  readonly instances: Array<string | undefined> = [];
  private readonly spool = new Map<number, SpooledFrame<Key>>();
  private readonly inFlight = new Set<number>();
  private readonly notBefore = new Map<number, number>();
  private client?: AgentClient;
  private nextSeq = 1;
  private stopped = false;
  private wake?: NodeJS.Timeout;
  private loop?: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly window = 8,
  ) {}

  start(): void {
    this.loop = this.keepConnected();
  }

  enqueue(type: string, body: Record<string, unknown>, keys: Key[]): SpooledFrame<Key> {
    const frame: SpooledFrame<Key> = { seq: this.nextSeq++, type, body, keys, sends: 0 };
    this.spool.set(frame.seq, frame);
    this.pump();
    return frame;
  }

  get unacked(): number {
    return this.spool.size;
  }

  /** Frames not acked yet, lowest seq first. */
  pending(): SpooledFrame<Key>[] {
    return [...this.spool.values()];
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Resolves true once every spooled frame is acked, false if some are not after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.spool.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.spool.size === 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wake);
    this.client?.socket.terminate();
    await this.loop;
  }

  private async keepConnected(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = await AgentClient.connect(this.baseUrl, this.token, { perMessageDeflate: false, handshakeTimeout: 5_000 });
        client.socket.on('error', () => undefined);
        this.client = client;
        this.connections++;
        this.instances.push(client.upgradeHeaders['x-dockpulse-instance'] as string | undefined);
        this.pump();
        const { code } = await client.closed;
        this.closeCodes.push(code);
      } catch {
        // Refused or unreachable: the server is restarting; try again shortly.
      }
      this.client = undefined;
      this.inFlight.clear();
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  private pump(): void {
    const client = this.client;
    if (!client || client.socket.readyState !== client.socket.OPEN || this.stopped) return;
    const now = Date.now();
    let wakeAt = Infinity;
    for (const frame of this.spool.values()) {
      if (this.inFlight.size >= this.window) break;
      if (this.inFlight.has(frame.seq)) continue;
      const after = this.notBefore.get(frame.seq) ?? 0;
      if (after > now) {
        wakeAt = Math.min(wakeAt, after);
        continue;
      }
      this.inFlight.add(frame.seq);
      frame.sends++;
      void client.send({ type: frame.type, ...frame.body, seq: frame.seq }).then((answer) => this.answered(client, frame, answer));
    }
    clearTimeout(this.wake);
    if (wakeAt < Infinity) this.wake = setTimeout(() => this.pump(), wakeAt - now);
  }

  private answered(client: AgentClient, frame: SpooledFrame<Key>, answer: Answer): void {
    if (answer.type === 'ack') {
      if (this.spool.delete(frame.seq)) {
        frame.ackedAt = Date.now();
        this.acked.push(frame);
      } else this.extraAcks++;
    } else if (answer.code.startsWith('closed:')) {
      // The socket went away unanswered: the frame stays spooled for the next connection.
    } else if (RETRYABLE.has(answer.code)) {
      this.retryableAnswers.set(answer.code, (this.retryableAnswers.get(answer.code) ?? 0) + 1);
      this.notBefore.set(frame.seq, Date.now() + (answer.retryAfterMs ?? 1_000));
    } else {
      this.refused.push({ frame, answer });
      this.spool.delete(frame.seq);
    }
    if (client === this.client) this.inFlight.delete(frame.seq);
    this.pump();
  }
}
