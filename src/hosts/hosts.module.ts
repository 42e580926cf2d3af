import { Module } from '@nestjs/common';
import { AgentAuthService } from './agent-auth.service.js';
import { EnrollmentController } from './enrollment.controller.js';
import { HelloHandler } from './hello.handler.js';
import { HostRevocations } from './host-revocations.js';
import { HostsController } from './hosts.controller.js';
import { HostsRepository } from './hosts.repository.js';
import { HostsService } from './hosts.service.js';

@Module({
  controllers: [HostsController, EnrollmentController],
  providers: [HostsRepository, HostsService, HostRevocations, AgentAuthService, HelloHandler],
  exports: [AgentAuthService, HostRevocations, HostsRepository],
})
export class HostsModule {}
