import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccessModule } from './access/access.module.js';
import { AgentModule } from './agent/agent.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BufferModule } from './buffer/buffer.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter.js';
import { ContainerEventsModule } from './container-events/container-events.module.js';
import { ContainersModule } from './containers/containers.module.js';
import { configModule } from './config/config.module.js';
import type { Environment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { GapLedgerModule } from './gap-ledger/gap-ledger.module.js';
import { GapsModule } from './gaps/gaps.module.js';
import { HealthModule } from './health/health.module.js';
import { HostMetricsModule } from './host-metrics/host-metrics.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { LiveModule } from './live/live.module.js';
import { LogsModule } from './logs/logs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ProcessesModule } from './processes/processes.module.js';
import { StorageModule } from './storage/storage.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { UsersModule } from './users/users.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  /** The whole service for an already validated environment (see config/environment.ts). */
  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(env),
        ScheduleModule.forRoot(),
        DatabaseModule,
        RedisModule,
        AccessModule,
        TokensModule,
        AuthModule,
        UsersModule,
        HostsModule,
        HealthModule,
        EventsModule,
        BufferModule,
        GapLedgerModule,
        IngestModule,
        AgentModule,
        ContainersModule,
        MetricsModule,
        HostMetricsModule,
        LogsModule,
        ProcessesModule,
        ContainerEventsModule,
        GapsModule,
        CommandsModule,
        NotificationsModule,
        AlertsModule,
        StorageModule,
        LiveModule,
        WebModule.forRoot(),
      ],
      providers: [
        { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
        },
      ],
    };
  }
}
