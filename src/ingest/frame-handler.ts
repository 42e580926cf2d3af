import type { BufferSink } from '../buffer/buffer-sink.js';
import type { FieldError } from './protocol.js';

/** Who sent a frame: always from the agent token, never from the frame. */
export interface AgentContext {
  hostId: string;
  organizationId: string;
}

/**
 * The provider marked `@HandlesKind(kind)` for one frame type. `handle` runs on a frame its DTO
 * validated and resolves once everything the frame carries is durable; a buffered kind exposes
 * its bulk writer as `sink`, which the registry hands to the batching buffer.
 */
export interface FrameHandler<Frame extends object = object> {
  handle(agent: AgentContext, frame: Frame): Promise<void>;
  readonly sink?: BufferSink<any>;
}

/** Thrown by a handler for a frame that passed its DTO but is still unacceptable as a whole. */
export class FrameRejectedError extends Error {
  constructor(
    message: string,
    readonly details: FieldError[],
  ) {
    super(message);
  }
}
