import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CommandsService } from './commands.service.js';

const SWEEP_EVERY_MS = 1_000;

/**
 * Times out commands every second. The deadline lives in the database (created_at + timeout_ms),
 * so commands of a restarted or crashed instance are still closed, by whichever instance sweeps.
 */
@Injectable()
export class CommandTimeoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CommandTimeoutSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failing = false;

  constructor(private readonly commands: CommandsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => (this.running ??= this.sweep().finally(() => (this.running = undefined))), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Stops before the database closes (that happens at application shutdown, after this). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
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
