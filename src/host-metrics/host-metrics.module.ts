import { Module } from '@nestjs/common';
import { HostMetricsRepository } from './host-metrics.repository.js';
import { HostMetricsService } from './host-metrics.service.js';

@Module({ providers: [HostMetricsRepository, HostMetricsService] })
export class HostMetricsModule {}
