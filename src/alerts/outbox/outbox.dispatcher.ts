import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../../common/intervals.js';
import type { Environment } from '../../config/environment.js';
import { ChannelSenders } from '../../notifications/channel-senders.js';
import { NotificationChannelsService, type DeliveryTarget } from '../../notifications/notification-channels.service.js';
import type { DeliveryResult } from '../../notifications/notification-message.js';
import { alertMessage } from './alert-message.js';
import { GroupedWrites } from './grouped-writes.js';
import { OutboxStats } from './outbox-stats.js';
import { OutboxRepository, type ClaimedNotification } from './outbox.repository.js';
import { retryDelayMs } from './retry-schedule.js';

/** Sends at once per instance: bounds sockets and memory however many rows wait. */
export const SEND_CONCURRENCY = 16;
const CLAIM_AT_LEAST = SEND_CONCURRENCY / 4;
/** Longer than any one send (10 s HTTP limit, SMTP steps): a lease outlives its send unless the instance died. */
const LEASE_MS = 120_000;
/** Catches rows queued by other instances, expired leases and retries scheduled elsewhere. */
const POLL_MS = 1_000;
/** How long shutdown waits for sends under way (a third of SHUTDOWN_TIMEOUT at most); a send cut short is retried once its lease runs out. */
const DRAIN_MS = 10_000;
const MAX_ERROR_CHARS = 500;
const POLLER = 'notification-outbox';

const describeFailure = (result: Extract<DeliveryResult, { ok: false }>) =>
  (result.body ? `${result.error}: ${result.body.trim()}` : result.error).slice(0, MAX_ERROR_CHARS);

/**
 * Delivers the outbox: claims due rows under a lease, sends each through its channel with at most
 * SEND_CONCURRENCY at once, and settles it (sent, retried later with backoff, or failed). Woken at
 * once after a commit (Outbox.wake), at a retry's due time, and by a poll for everything else.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sentMarks: GroupedWrites;
  private running = false;
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private failing = false;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly giveUpMs: number;
  private readonly drainMs: number;
  /** The most sends ever under way at once (for tests and the curious). */
  peakInFlight = 0;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly channels: NotificationChannelsService,
    private readonly senders: ChannelSenders,
    private readonly stats: OutboxStats,
    private readonly schedules: SchedulerRegistry,
    config: ConfigService<Environment, true>,
  ) {
    this.sentMarks = new GroupedWrites((ids) => repository.markSent(ids));
    const ms = config.getOrThrow('ms', { infer: true });
    this.retryBaseMs = ms.NOTIFY_RETRY_BASE;
    this.retryMaxMs = ms.NOTIFY_RETRY_MAX;
    this.giveUpMs = ms.NOTIFY_GIVE_UP_AFTER;
    this.drainMs = Math.min(DRAIN_MS, ms.SHUTDOWN_TIMEOUT / 3);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    startInterval(this.schedules, POLLER, POLL_MS, () => this.wake());
    this.wake();
  }

  /** Stops claiming and lets sends under way settle, before the database closes (application shutdown). */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    stopInterval(this.schedules, POLLER);
    clearTimeout(this.timer);
    await this.pumping;
    let timeout: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => true),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), this.drainMs))),
    ]).finally(() => clearTimeout(timeout));
    if (!drained) this.logger.warn(`${this.inFlight.size} notification(s) still sending at shutdown; they are sent again once their lease runs out`);
  }

  /** Looks for due rows now; calls while a look is under way make it look once more. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    while (this.running) {
      const free = SEND_CONCURRENCY - this.inFlight.size;
      // Claims a few at a time while sends are under way, not one per finished send: fewer round trips.
      if (free < CLAIM_AT_LEAST && this.inFlight.size > 0) return;
      let claimed: ClaimedNotification[];
      let targets: Map<string, DeliveryTarget>;
      try {
        claimed = await this.repository.claim(free, LEASE_MS);
        targets = await this.channels.deliveryTargets(claimed.map((row) => row.channelId));
        if (this.failing) this.logger.log('The notification outbox can read the database again');
        this.failing = false;
      } catch (error) {
        // Once per outage; rows claimed meanwhile come back when their lease runs out.
        if (!this.failing) this.logger.warn(`Claiming notifications failed: ${(error as Error).message}`);
        this.failing = true;
        return;
      }
      for (const row of claimed) this.track(this.deliver(row, targets.get(row.channelId)));
      if (claimed.length < free) return;
    }
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight.size);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.wake();
    });
  }

  /** Never rejects: a row it cannot settle stays leased and comes back when the lease runs out. */
  private async deliver(row: ClaimedNotification, target: DeliveryTarget | undefined): Promise<void> {
    try {
      // The channel must still exist, in the alert's own organization.
      if (!target || target.organizationId !== row.organizationId) {
        await this.repository.markFailed(row.id, 'channel deleted');
        this.stats.countFailed(target && 'channel' in target ? target.channel.type : 'unknown');
        return;
      }
      const type = 'channel' in target ? target.channel.type : target.type;
      const result = 'channel' in target ? await this.send(target, row) : ({ ok: false, error: target.error } as const);
      if (result.ok) {
        await this.sentMarks.add(row.id);
        this.stats.countSent(type);
        return;
      }
      const delay = retryDelayMs(row.attempts, this.retryBaseMs, this.retryMaxMs);
      const settled = await this.repository.markAttemptFailed(row.id, describeFailure(result), delay, this.giveUpMs);
      if (settled?.status === 'failed') this.stats.countFailed(type);
      else if (settled) {
        this.stats.retries++;
        this.wakeAt(settled.nextAttemptAt.getTime());
      }
    } catch (error) {
      this.logger.warn(`Settling notification ${row.id} failed: ${(error as Error).message}`);
    }
  }

  private async send(target: Extract<DeliveryTarget, { channel: unknown }>, row: ClaimedNotification): Promise<DeliveryResult> {
    try {
      return await this.senders.send(target.channel, alertMessage(row.payload), row.id);
    } catch (error) {
      return { ok: false, error: `Sending failed: ${(error as Error).message}` };
    }
  }

  /** One timer, at the earliest retry this instance knows of (a little after, so the row is due). */
  private wakeAt(at: number): void {
    if (!this.running || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, at - Date.now()) + 5);
    this.timer.unref();
  }
}
