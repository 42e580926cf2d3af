import type { ServerFrame } from '../ingest/protocol.js';

/**
 * What the layers below the agent transport may ask of the agent sockets: commands send through
 * it and the Prometheus registry counts them. Implemented by agent/'s AgentConnections and provided
 * globally by AgentModule, so features depend on this, not on the transport. With REDIS_URL set,
 * `reachable` and `deliver` see the sockets of every instance, not only this one's.
 */
export abstract class AgentLinks {
  /** Whether the host's agent holds a socket on this instance or, with Redis, on any other. */
  abstract reachable(hostId: string): Promise<boolean>;

  /**
   * Sends a frame to the host's agent wherever its socket is; resolves false when no instance
   * could (not connected, or the socket closed meanwhile).
   */
  abstract deliver(hostId: string, frame: ServerFrame): Promise<boolean>;

  /** How many agent sockets this instance holds. */
  abstract connectedCount(): number;
}
