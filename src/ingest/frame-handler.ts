import type { ClassConstructor } from 'class-transformer';
import type { FieldError } from './protocol.js';

/** Who sent a frame: always from the agent token, never from the frame. */
export interface AgentContext {
  hostId: string;
  organizationId: string;
}

/**
 * What a feature module registers for one frame type. `dto` validates the whole frame
 * (class-validator); `handle` resolves once everything the frame carries is durable.
 */
export interface FrameHandler<Frame extends object = object> {
  type: string;
  dto: ClassConstructor<Frame>;
  handle(agent: AgentContext, frame: Frame): Promise<void>;
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
