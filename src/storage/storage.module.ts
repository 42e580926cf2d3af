import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { OutboxModule } from '../alerts/outbox/outbox.module.js';
import { RollupsModule } from '../rollups/rollups.module.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { IngestRateSampler } from './ingest-rate.sampler.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusRegistry } from './prometheus.registry.js';
import { RetentionController } from './retention.controller.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionScheduler } from './retention.scheduler.js';
import { RetentionService } from './retention.service.js';
import { StorageCatalogRepository } from './storage-catalog.repository.js';
import { StorageHealthController } from './storage-health.controller.js';
import { StorageHealthService } from './storage-health.service.js';
import { TimeBoundsRepository } from './time-bounds.repository.js';

/** Storage health, the retention job and the Prometheus endpoint: the operations side of the data. */
@Module({
  imports: [RollupsModule, OutboxModule, AlertsModule],
  controllers: [StorageHealthController, RetentionController, PrometheusController],
  providers: [
    StorageCatalogRepository,
    TimeBoundsRepository,
    StorageHealthService,
    IngestRateSampler,
    RetentionRepository,
    RetentionService,
    RetentionScheduler,
    PrometheusRegistry,
    HttpRequestMetrics,
  ],
  exports: [RetentionService],
})
export class StorageModule {}
