import type { ServerFrame } from '../ingest/protocol.js';

/** One socket of a host's agent: the host and the socket's unique id (its gap-ledger connection id). */
export interface HeldSocket {
  hostId: string;
  socketId: string;
}

/** What other instances ask of the instance that holds a host's socket. */
export interface SocketHolder {
  /** Close the socket `socketId` of the host (4001): a newer one was opened elsewhere. */
  replaced(hostId: string, socketId: string): void;
  /** Close the host's socket (4003): its token was revoked through another instance. */
  revoked(hostId: string): void;
  /** Send a frame down the host's socket here; false when it is not here (or not open). */
  sendHere(hostId: string, frame: ServerFrame): boolean;
}

/**
 * Which instance holds each host's agent socket. One instance alone (no REDIS_URL) is the whole
 * directory: LocalAgentDirectory answers that nothing is held elsewhere. With Redis, the
 * directory spans the instances (RedisAgentDirectory), so one socket per host holds across them.
 */
export abstract class AgentDirectory {
  /** Whether other instances may hold sockets (false: everything is decided on this instance). */
  abstract readonly spansInstances: boolean;

  /** Called once by the socket registry of this instance: how others reach its sockets. */
  abstract serve(holder: SocketHolder): void;

  /** The socket was opened here: it is now the host's socket, and an older one elsewhere is told to close. */
  abstract claim(socket: HeldSocket): Promise<void>;

  /**
   * The socket closed here: resolves true when it was still the host's socket (the host has no
   * agent now), false when a newer socket elsewhere took over (nothing to announce).
   */
  abstract release(socket: HeldSocket): Promise<boolean>;

  /** Heartbeat: keeps these sockets' claims alive; resolves those a newer socket elsewhere took over. */
  abstract refresh(sockets: HeldSocket[]): Promise<HeldSocket[]>;

  /** The hosts among `hostIds` whose agent holds a socket on some instance (this one included). */
  abstract heldAnywhere(hostIds: string[]): Promise<Set<string>>;

  /** Sends a frame through the instance that holds the host's socket; false when none could. */
  abstract deliverElsewhere(hostId: string, frame: ServerFrame): Promise<boolean>;

  /** Tells the instance holding the host's socket that its token was revoked. */
  abstract revokeElsewhere(hostId: string): Promise<void>;
}

/** A single instance: every socket is here, so there is nothing to tell anyone. */
export class LocalAgentDirectory extends AgentDirectory {
  readonly spansInstances = false;

  serve(): void {}

  async claim(): Promise<void> {}

  async release(): Promise<boolean> {
    return true;
  }

  async refresh(): Promise<HeldSocket[]> {
    return [];
  }

  async heldAnywhere(): Promise<Set<string>> {
    return new Set();
  }

  async deliverElsewhere(): Promise<boolean> {
    return false;
  }

  async revokeElsewhere(): Promise<void> {}
}
