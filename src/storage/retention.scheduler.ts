import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Environment } from '../config/environment.js';
import { RetentionService } from './retention.service.js';

export const RETENTION_JOB = 'retention';

/**
 * Runs the retention job on RETENTION_CRON. The expression is configuration, which a static
 * `@Cron()` decorator cannot read, so the job is registered with the SchedulerRegistry at
 * bootstrap: @nestjs/schedule then lists it and stops it at shutdown like its own jobs.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly retention: RetentionService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.getOrThrow('RETENTION_CRON', { infer: true }),
      onTick: () => this.tick(),
      // A slow run is never overlapped by the next tick of this instance.
      waitForCompletion: true,
      start: true,
      name: RETENTION_JOB,
    });
    this.registry.addCronJob(RETENTION_JOB, job);
  }

  tick(): Promise<void> {
    return this.retention.runLogged();
  }

  /** A run in progress finishes before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('cron', RETENTION_JOB)) this.registry.deleteCronJob(RETENTION_JOB);
    await this.retention.idle();
  }
}
