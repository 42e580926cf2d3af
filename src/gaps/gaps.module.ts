import { Module } from '@nestjs/common';
import { GapsController } from './gaps.controller.js';
import { GapsRepository } from './gaps.repository.js';
import { GapsService } from './gaps.service.js';
import { PresenceRecorder } from './presence-recorder.js';

/** `GET /api/hosts/:hostId/gaps`: missing minutes from the presence ledger, explained by the connection and refusal ledgers. */
@Module({
  controllers: [GapsController],
  providers: [GapsRepository, GapsService, PresenceRecorder],
})
export class GapsModule {}
