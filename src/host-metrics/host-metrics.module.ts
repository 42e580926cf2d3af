import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module.js';
import { HostMetricsQueryRepository } from './host-metrics-query.repository.js';
import { HostMetricsQueryService } from './host-metrics-query.service.js';
import { HostMetricsController } from './host-metrics.controller.js';
import { HostMetricsRepository } from './host-metrics.repository.js';
import { HostMetricsService } from './host-metrics.service.js';

@Module({
  imports: [RollupsModule],
  controllers: [HostMetricsController],
  providers: [HostMetricsRepository, HostMetricsService, HostMetricsQueryRepository, HostMetricsQueryService],
})
export class HostMetricsModule {}
