import type { ServerFrame } from '../ingest/protocol.js';

/** Messages between instances about agent sockets, on the control channel of the instance addressed. */
export type AgentControlMessage =
  /** A newer socket of the host opened on another instance: close this one (4001). */
  | { type: 'replace'; hostId: string; socketId: string }
  /** The host's token was revoked through another instance: close its socket (4003). */
  | { type: 'revoke'; hostId: string }
  /** Send `frame` down the host's socket and answer `delivered` on `replyTo`'s channel. */
  | { type: 'command'; requestId: string; replyTo: string; hostId: string; frame: ServerFrame }
  | { type: 'delivered'; requestId: string; ok: boolean };

export const controlChannelName = (instanceId: string) => `agents:instance:${instanceId}`;
export const hostKeyName = (hostId: string) => `agents:host:${hostId}`;

/** A host's holder in Redis: the instance and the socket. */
export const holderOf = (instanceId: string, socketId: string) => `${instanceId}/${socketId}`;

export function parseHolder(holder: string): { instanceId: string; socketId: string } {
  const slash = holder.indexOf('/');
  return { instanceId: holder.slice(0, slash), socketId: holder.slice(slash + 1) };
}
