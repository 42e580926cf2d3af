import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module.js';
import { GapsController } from './gaps.controller.js';
import { GapsRepository } from './gaps.repository.js';
import { GapsService } from './gaps.service.js';

/** `GET /api/hosts/:hostId/gaps`: missing minutes from the rollups, explained by the gap ledger. */
@Module({
  imports: [RollupsModule],
  controllers: [GapsController],
  providers: [GapsRepository, GapsService],
})
export class GapsModule {}
