import { Module } from '@nestjs/common';
import { RollupService } from './rollup.service.js';
import { RollupsRepository } from './rollups.repository.js';

/** Per-minute rollups of container and host metrics, kept current as raw samples are written. */
@Module({
  providers: [RollupsRepository, RollupService],
  exports: [RollupService, RollupsRepository],
})
export class RollupsModule {}
