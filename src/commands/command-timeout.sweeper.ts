import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import { CommandsService } from './commands.service.js';

const SWEEP_EVERY_MS = 1_000;
const SWEEPER = 'command-timeout-sweep';

/**
 * Times out commands every second. The deadline lives in the database (created_at + timeout_ms),
 * so commands of a restarted or crashed instance are still closed, by whichever instance sweeps.
 */
@Injectable()
export class CommandTimeoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CommandTimeoutSweeper.name);
  private running?: Promise<void>;
  private failing = false;

  constructor(
    private readonly commands: CommandsService,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    startInterval(this.schedules, SWEEPER, SWEEP_EVERY_MS, () => (this.running ??= this.sweep().finally(() => (this.running = undefined))));
  }

  /** Stops before the database closes (that happens at application shutdown, after this). */
  async onModuleDestroy(): Promise<void> {
    stopInterval(this.schedules, SWEEPER);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      await this.commands.expireOverdue();
      if (this.failing) this.logger.log('Command timeout sweep works again');
      this.failing = false;
    } catch (error) {
      // Once per outage, not once a second.
      if (!this.failing) this.logger.warn(`Command timeout sweep failed: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
