import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';

@Module({
  imports: [ContainersModule],
  providers: [MetricsRepository, MetricsService],
})
export class MetricsModule {}
