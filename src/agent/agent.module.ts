import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module.js';
import { AgentConnections } from './agent-connections.js';
import { AgentIngestController } from './agent-ingest.controller.js';
import { AgentGateway } from './agent.gateway.js';
import { ShutdownDeadline } from './shutdown-deadline.js';

/** The agent transports: the /agent socket and its HTTP twin. Knows no telemetry kind. */
@Module({
  imports: [HostsModule],
  controllers: [AgentIngestController],
  providers: [AgentGateway, AgentConnections, ShutdownDeadline],
  exports: [AgentConnections, ShutdownDeadline],
})
export class AgentModule {}
