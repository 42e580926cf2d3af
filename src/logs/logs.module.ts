import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { LogsQueryRepository } from './logs-query.repository.js';
import { LogsQueryService } from './logs-query.service.js';
import { LogsController } from './logs.controller.js';
import { LogsRepository } from './logs.repository.js';
import { LogsService } from './logs.service.js';

@Module({
  imports: [ContainersModule],
  controllers: [LogsController],
  providers: [LogsRepository, LogsService, LogsQueryRepository, LogsQueryService],
})
export class LogsModule {}
