import type { ServerFrame } from '../ingest/protocol.js';

/**
 * What the layers below the agent transport may ask of this instance's agent sockets: commands
 * send through it and the Prometheus registry counts them. Implemented by agent/'s AgentConnections
 * and provided globally by AgentModule, so features depend on this, not on the transport.
 */
export abstract class AgentLinks {
  /** Whether the host's agent holds a socket on this instance. */
  abstract isConnected(hostId: string): boolean;

  /** Sends a frame to a host's agent on this instance; false when it is not connected here. */
  abstract send(hostId: string, frame: ServerFrame): boolean;

  /** How many agent sockets this instance holds. */
  abstract connectedCount(): number;
}
