import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { RollupsModule } from '../rollups/rollups.module.js';
import { MetricsQueryRepository } from './metrics-query.repository.js';
import { MetricsQueryService } from './metrics-query.service.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';

@Module({
  imports: [ContainersModule, RollupsModule],
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, MetricsQueryRepository, MetricsQueryService],
})
export class MetricsModule {}
