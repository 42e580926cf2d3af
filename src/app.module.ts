import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { TokensModule } from './auth/tokens.module.js';
import { configModule } from './config/config.module.js';
import type { Environment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { UsersModule } from './users/users.module.js';

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
        TokensModule,
        AuthModule,
        UsersModule,
        HostsModule,
        HealthModule,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
        },
      ],
    };
  }
}
