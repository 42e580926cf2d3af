/**
 * The agent protocol of CONTRACT.md as the simulator sees it from outside. Written from the
 * contract alone (not imported from the server) so the simulator checks the server, not itself.
 */

/** Telemetry the simulator streams on every interval (and `containers` once per connection). */
export const TELEMETRY_KINDS = ['metrics', 'host_metrics', 'logs', 'processes'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];
export type RowKind = TelemetryKind | 'containers';
export type FrameType = RowKind | 'hello' | 'command_result';

/** An agent → server frame before it is given a seq. */
export interface OutboundFrame {
  type: FrameType;
  [field: string]: unknown;
}

// The wire frames are the same for every client of the contract: shared with the reference agent.
export type { AckFrame, CommandFrame, ContainerObject, ErrorFrame, ServerFrame, WelcomeFrame } from '../agent/protocol.js';
export { RETRYABLE_CODES } from '../agent/protocol.js';

/** Close codes the server uses beyond the standard ones (README "Connections"). */
export const CLOSE_REPLACED = 4001;
export const CLOSE_REVOKED = 4003;
