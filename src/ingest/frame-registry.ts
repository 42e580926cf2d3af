import { Injectable } from '@nestjs/common';
import type { FrameHandler } from './frame-handler.js';

/**
 * Frame type → handler. Feature modules register themselves here (in onModuleInit), so a new
 * telemetry kind is a new module and the gateway and buffer never change.
 */
@Injectable()
export class FrameRegistry {
  private readonly handlers = new Map<string, FrameHandler>();

  register<Frame extends object>(handler: FrameHandler<Frame>): void {
    if (this.handlers.has(handler.type)) throw new Error(`A handler for frame type "${handler.type}" is already registered`);
    this.handlers.set(handler.type, handler as unknown as FrameHandler);
  }

  get(type: unknown): FrameHandler | undefined {
    return typeof type === 'string' ? this.handlers.get(type) : undefined;
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
