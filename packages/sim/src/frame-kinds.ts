import type { AgentFrameType } from '@dockpulse/protocol';

/** Telemetry the simulator streams on every interval (and `containers` once per connection). */
export const TELEMETRY_KINDS = ['metrics', 'host_metrics', 'logs', 'processes'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];
/** Kinds whose acknowledged rows the fleet counts: telemetry, the inventory, and container events (on commands and crashes). */
export type RowKind = TelemetryKind | 'containers' | 'container_events';
export type FrameType = AgentFrameType;

/** An agent → server frame before it is given a seq. */
export interface OutboundFrame {
  type: FrameType;
  [field: string]: unknown;
}
