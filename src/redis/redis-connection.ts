import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { SecretAgreement } from './secret-agreement.js';

export interface RedisSettings {
  /** REDIS_URL; undefined means every instance-spanning feature stays in-process. */
  url?: string;
  /** REDIS_KEY_PREFIX: starts every key and channel name. */
  keyPrefix: string;
}

type ConnectionListener = (connected: boolean) => void;

/** Reconnect backoff: 100 ms doubling to 5 s, for ever (an instance outlives a Redis restart). */
const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 6), 5_000);

/**
 * This process's link to Redis when REDIS_URL is set, and the one place that knows whether it is.
 *
 * - `client`: the command connection. It never queues: a command sent while Redis is unreachable
 *   fails at once (callers fall back or answer 503), and `commandTimeout` bounds one that hangs.
 *   Commands issued in one tick travel as one pipeline (auto-pipelining), which the per-frame rate
 *   limit on the ingest path relies on.
 * - `subscriber`: a dedicated connection for SUBSCRIBE (a subscribed connection takes no other
 *   commands), created on first use. It queues while disconnected and resubscribes after a
 *   reconnect, so pub/sub resumes by itself after a Redis restart.
 * - `key(name)` / `channel(name)`: names prefixed with REDIS_KEY_PREFIX. Use them for every key
 *   and channel (ioredis's own keyPrefix is not used: it skips channels and Lua-script keys).
 * - `instanceId`: random, stable for the life of the process; tells instances apart in payloads.
 * - `connected` and `onConnectionChange`: true while both open connections are ready.
 *
 * Start-up never waits for Redis: connections retry in the background, `/api/ready` answers 503
 * (check `redis`) until they are ready, and every loss and recovery is logged once.
 */
export class RedisConnection implements OnApplicationShutdown {
  readonly enabled: boolean;
  readonly instanceId = randomUUID();
  readonly keyPrefix: string;
  private readonly logger = new Logger('Redis');
  private readonly url?: string;
  private commandConnection?: Redis;
  private subscriberConnection?: Redis;
  private readonly listeners = new Set<ConnectionListener>();
  private lastState = false;
  private everConnected = false;
  private warned = false;
  private closing = false;
  private agreement?: SecretAgreement;

  constructor(settings: RedisSettings) {
    this.url = settings.url;
    this.enabled = Boolean(settings.url);
    this.keyPrefix = settings.keyPrefix;
    if (this.enabled) this.commandConnection = this.open('command', { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000, enableAutoPipelining: true });
  }

  /** The command connection; only when `enabled`. */
  get client(): Redis {
    if (!this.commandConnection) throw new Error('Redis is not configured (REDIS_URL is unset)');
    return this.commandConnection;
  }

  /** The subscriber connection, opened on first use; only when `enabled`. */
  get subscriber(): Redis {
    if (!this.enabled) throw new Error('Redis is not configured (REDIS_URL is unset)');
    this.subscriberConnection ??= this.open('subscriber', { enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
    return this.subscriberConnection;
  }

  get connected(): boolean {
    return !this.closing && this.enabled && this.commandConnection?.status === 'ready' && (this.subscriberConnection?.status ?? 'ready') === 'ready';
  }

  key(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  channel(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  /** Calls `listener` with the new state each time `connected` changes; returns the unsubscriber. */
  onConnectionChange(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A secret every instance must share (SecretAgreement): logs an error while another instance on
   * this Redis holds a different one. Nothing without Redis.
   */
  shareSecret(name: string, secret: string, consequence: string): void {
    if (!this.enabled) return;
    this.agreement ??= new SecretAgreement(this.client, (key) => this.key(key));
    this.agreement.add(name, secret, consequence);
    if (this.connected) void this.agreement.check();
  }

  /** Checks the shared secrets now (they are checked on every connect and every 30 s); the names that disagree. */
  checkSharedSecrets(): Promise<string[]> {
    return this.agreement?.check() ?? Promise.resolve([]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.agreement?.stop();
    await Promise.all([this.subscriberConnection, this.commandConnection].map((connection) => connection && close(connection)));
    this.changed();
  }

  private open(role: string, options: RedisOptions): Redis {
    const connection = new Redis(this.url!, { retryStrategy, connectTimeout: 5_000, ...options });
    connection.on('ready', () => this.changed());
    connection.on('close', () => this.changed());
    // ioredis emits an error for every failed attempt: one warning per outage, the rest at debug level.
    connection.on('error', (error: Error) => {
      if (this.closing) return;
      if (!this.lastState && !this.warned) this.warnDown(`${role} connection: ${error.message}`);
      else this.logger.debug(`${role} connection: ${error.message}`);
    });
    return connection;
  }

  private changed(): void {
    const state = this.connected;
    if (state === this.lastState) return;
    this.lastState = state;
    if (state) {
      this.logger.log(`${this.everConnected ? 'Reconnected' : 'Connected'} to Redis at ${redactedUrl(this.url!)} (instance ${this.instanceId})`);
      this.everConnected = true;
      this.warned = false;
      void this.agreement?.check();
    } else if (!this.closing && !this.warned) {
      this.warnDown('connection closed');
    }
    for (const listener of this.listeners) listener(state);
  }

  private warnDown(why: string): void {
    this.warned = true;
    this.logger.warn(
      `Redis at ${redactedUrl(this.url!)} is unreachable (${why}): /api/ready answers 503, other instances miss this one's live events, ` +
        'and limits count on this instance alone until it is back; retrying',
    );
  }
}

async function close(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') return connection.disconnect();
  await connection.quit().catch(() => connection.disconnect());
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
