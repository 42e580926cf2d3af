import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';

/**
 * The SHUTDOWN_TIMEOUT clock. It starts at SIGTERM (main.ts calls begin(), before Nest runs any
 * shutdown hook, so a hook stuck on a hanging database cannot delay the agents' goodbye), or when
 * the application closes otherwise. Whatever is not done by the deadline is given up. With
 * SHUTDOWN_DRAIN, agents are asked to leave only once the drain is over (the clock runs meanwhile).
 */
@Injectable()
export class ShutdownDeadline {
  readonly timeoutMs: number;
  /** SHUTDOWN_DRAIN: how long after the clock starts the agents are asked to leave (0: at once). */
  private readonly drainMs: number;
  private deadline?: number;
  private closing = false;
  private readonly listeners: Array<() => void> = [];

  constructor(config: ConfigService<Environment, true>) {
    const ms = config.getOrThrow('ms', { infer: true });
    this.timeoutMs = ms.SHUTDOWN_TIMEOUT;
    this.drainMs = ms.SHUTDOWN_DRAIN;
  }

  /** Starts the clock once (later calls change nothing); `onBegin` listeners run when the drain is over. */
  begin(): void {
    if (this.deadline !== undefined) return;
    this.deadline = performance.now() + this.timeoutMs;
    if (this.drainMs) setTimeout(() => this.close(), this.drainMs);
    else this.close();
  }

  private close(): void {
    this.closing = true;
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Milliseconds left before the deadline (the whole timeout before begin()). */
  remainingMs(): number {
    return this.deadline === undefined ? this.timeoutMs : Math.max(0, this.deadline - performance.now());
  }

  onBegin(listener: () => void): void {
    if (this.closing) listener();
    else this.listeners.push(listener);
  }
}

/**
 * SIGTERM and SIGINT start the clock at once (Nest's own handler runs the graceful close), and
 * should that close still be running when SHUTDOWN_TIMEOUT is up, e.g. behind a database that
 * stopped answering, the process exits anyway. Nothing uncommitted was acknowledged.
 */
export function exitWithinShutdownTimeout(deadline: ShutdownDeadline, onTimeout: () => void): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // `once`: Nest re-raises the signal after closing, which must then find no listener and end the process.
    process.once(signal, () => {
      deadline.begin();
      setTimeout(() => {
        onTimeout();
        process.exit(1);
      }, deadline.timeoutMs).unref();
    });
  }
}
