import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { AgentConnections } from './agent-connections.js';
import { AgentIngestController } from './agent-ingest.controller.js';
import { AgentGateway } from './agent.gateway.js';

/** The agent transports: the /agent socket and its HTTP twin. Knows no telemetry kind. */
@Module({
  imports: [HostsModule, ContainersModule],
  controllers: [AgentIngestController],
  providers: [AgentGateway, AgentConnections],
  exports: [AgentConnections],
})
export class AgentModule {}
