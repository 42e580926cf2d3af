import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AgentRateLimiter } from './agent-rate-limiter.js';
import { FrameProcessor } from './frame-processor.js';
import { FrameRegistry } from './frame-registry.js';
import { IngestStats } from './ingest-stats.js';
import { TelemetryKinds } from './telemetry-kinds.js';

/** The transport-independent agent protocol: registry of described kinds, processor, counters. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [FrameRegistry, FrameProcessor, IngestStats, AgentRateLimiter, TelemetryKinds],
  exports: [FrameRegistry, FrameProcessor, IngestStats, AgentRateLimiter, TelemetryKinds],
})
export class IngestModule {}
