import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { LogsRepository } from './logs.repository.js';
import { LogsService } from './logs.service.js';

@Module({
  imports: [ContainersModule],
  providers: [LogsRepository, LogsService],
})
export class LogsModule {}
