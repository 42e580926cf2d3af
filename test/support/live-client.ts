import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { TestApp } from './test-app.js';

export interface Received {
  frame: any;
  /** performance.now() when it arrived. */
  at: number;
}

/**
 * A dashboard socket for tests, written against CONTRACT.md only: gets a ticket with a user token,
 * opens `/live?ticket=`, and lets a test wait for frames by predicate. `frames` keeps everything
 * received; `next` consumes, so two waits for the same kind of frame get two frames.
 */
export class LiveClient {
  readonly received: Received[] = [];
  private readonly inbox: Received[] = [];
  private readonly waiters = new Set<{ match: (frame: any) => boolean; resolve: (received: Received) => void }>();
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Headers of the 101 answer (e.g. which instance a load balancer chose). */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.once('upgrade', (response) => (this.upgradeHeaders = response.headers));
    socket.on('message', (data) => {
      const received = { frame: JSON.parse(data.toString()), at: performance.now() };
      this.received.push(received);
      for (const waiter of this.waiters) {
        if (!waiter.match(received.frame)) continue;
        this.waiters.delete(waiter);
        waiter.resolve(received);
        return;
      }
      this.inbox.push(received);
    });
  }

  get frames(): any[] {
    return this.received.map((r) => r.frame);
  }

  /** A fresh ticket for the user of `token`. */
  static async ticket(t: TestApp, token: string): Promise<string> {
    return (await t.http().post('/api/live/tickets').auth(token, { type: 'bearer' }).expect(201)).body.ticket;
  }

  /** Opens `/live` with `ticket` (raw query string); rejects with `statusCode` when refused. */
  static open(t: TestApp, query: string, options: WebSocket.ClientOptions = {}): Promise<LiveClient> {
    const socket = new WebSocket(`${t.baseUrl.replace(/^http/, 'ws')}/live${query}`, options);
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
      socket.once('error', reject);
      socket.once('open', () => resolve(client));
    });
  }

  /** Ticket and socket in one step, for the user of `token`. */
  static async connect(t: TestApp, token: string, options: WebSocket.ClientOptions = {}): Promise<LiveClient> {
    return LiveClient.open(t, `?ticket=${encodeURIComponent(await LiveClient.ticket(t, token))}`, options);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next not yet consumed frame matching `match` (already received or still to come). */
  async next(match: (frame: any) => boolean, timeoutMs = 5_000): Promise<Received> {
    const index = this.inbox.findIndex((received) => match(received.frame));
    if (index >= 0) return this.inbox.splice(index, 1)[0];
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (received: Received) => {
          clearTimeout(timer);
          resolve(received);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames).slice(0, 500)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Subscribes and resolves with the `subscribed` answer and the errors sent before it. */
  async subscribe(...topics: string[]): Promise<{ topics: string[]; errors: any[] }> {
    const start = this.received.length;
    this.send({ type: 'subscribe', topics });
    const { frame } = await this.next((f) => f.type === 'subscribed');
    const errors = this.received.slice(start).map((r) => r.frame).filter((f) => f.type === 'error');
    for (const error of errors) {
      const index = this.inbox.findIndex((r) => r.frame === error);
      if (index >= 0) this.inbox.splice(index, 1);
    }
    return { topics: frame.topics, errors };
  }

  async unsubscribe(...topics: string[]): Promise<string[]> {
    this.send({ type: 'unsubscribe', topics });
    return (await this.next((f) => f.type === 'unsubscribed')).frame.topics;
  }

  /** Data frames (metrics, logs, …) received on `topic` so far. */
  dataOn(topic: string): any[] {
    return this.frames.filter((f) => f.topic === topic && f.type !== 'error');
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
    return this.closed;
  }
}
