import { Global, Module } from '@nestjs/common';
import { AgentLinks } from '../agent-links/agent-links.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { AgentConnections } from './agent-connections.js';
import { agentDirectoryProvider } from './agent-directory.provider.js';
import { AgentIngestController } from './agent-ingest.controller.js';
import { AgentGateway } from './agent.gateway.js';
import { ShutdownDeadline } from './shutdown-deadline.js';

/**
 * The agent transports: the /agent socket and its HTTP twin. Knows no telemetry kind. Global so
 * that the layers below reach the sockets through AgentLinks without importing the transport.
 */
@Global()
@Module({
  imports: [HostsModule],
  controllers: [AgentIngestController],
  providers: [AgentGateway, AgentConnections, agentDirectoryProvider, ShutdownDeadline, { provide: AgentLinks, useExisting: AgentConnections }],
  exports: [AgentLinks, ShutdownDeadline],
})
export class AgentModule {}
