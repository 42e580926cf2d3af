// `/live`: one socket per tab, opened with a single-use ticket; topics are (re)subscribed for as
// long as someone listens, and the socket reconnects with a fresh ticket when it drops.
import { api } from './api';

export interface LiveFrame<T = unknown> {
  type: string;
  topic: string;
  data: T;
}

type Listener = (frame: LiveFrame) => void;

class LiveConnection {
  private socket?: WebSocket;
  private readonly listeners = new Map<string, Set<Listener>>();
  private retry = 0;
  private connecting = false;

  /** Calls `listener` with every frame of `topic` until the returned function is called. */
  subscribe(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      this.listeners.set(topic, (set = new Set()));
      this.send({ type: 'subscribe', topics: [topic] });
    }
    set.add(listener);
    void this.connect();
    return () => {
      set!.delete(listener);
      if (set!.size) return;
      this.listeners.delete(topic);
      this.send({ type: 'unsubscribe', topics: [topic] });
    };
  }

  private send(frame: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private async connect(): Promise<void> {
    if (this.socket || this.connecting || !this.listeners.size) return;
    this.connecting = true;
    try {
      const { ticket } = await api<{ ticket: string }>('POST', '/api/live/tickets');
      const url = new URL(`/live?ticket=${encodeURIComponent(ticket)}`, window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const socket = new WebSocket(url);
      this.socket = socket;
      socket.onopen = () => {
        this.retry = 0;
        if (this.listeners.size) this.send({ type: 'subscribe', topics: [...this.listeners.keys()] });
      };
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as LiveFrame;
        for (const listener of this.listeners.get(frame.topic) ?? []) listener(frame);
      };
      socket.onclose = () => {
        this.socket = undefined;
        this.reconnectLater();
      };
    } catch {
      this.reconnectLater();
    } finally {
      this.connecting = false;
    }
  }

  private reconnectLater(): void {
    if (!this.listeners.size) return;
    const delay = Math.min(30_000, 500 * 2 ** this.retry++) * (0.5 + Math.random() / 2);
    setTimeout(() => void this.connect(), delay);
  }
}

export const live = new LiveConnection();
