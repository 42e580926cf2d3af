import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import type { FrameHandler } from './frame-handler.js';
import { HandlesKind, type KindDescription } from './telemetry-kind.js';

/** A described kind with the provider that handles it. */
export interface RegisteredKind {
  kind: KindDescription;
  handler: FrameHandler;
}

/**
 * Frame type → kind and handler, found at start-up among the providers marked `@HandlesKind`,
 * so a new kind is a new module and the gateway, processor and buffer never change.
 */
@Injectable()
export class FrameRegistry implements OnModuleInit {
  private readonly kinds = new Map<string, RegisteredKind>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly buffer: BatchingBuffer,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: HandlesKind.KEY })) {
      const kind = this.discovery.getMetadataByDecorator(HandlesKind, wrapper);
      if (kind && wrapper.instance) this.register(kind, wrapper.instance as FrameHandler);
    }
  }

  register(kind: KindDescription, handler: FrameHandler): void {
    if (this.kinds.has(kind.type)) throw new Error(`A handler for frame type "${kind.type}" is already registered`);
    this.kinds.set(kind.type, { kind, handler });
    if (handler.sink) this.buffer.register(handler.sink);
  }

  get(type: unknown): RegisteredKind | undefined {
    return typeof type === 'string' ? this.kinds.get(type) : undefined;
  }

  /** The refusal a frame of this kind gets at once, unread, while the buffer holding its rows is full; undefined otherwise. */
  refusalNow(registered: RegisteredKind): Error | undefined {
    return registered.handler.sink ? this.buffer.refusalNow(registered.handler.sink.kind) : undefined;
  }

  types(): string[] {
    return [...this.kinds.keys()];
  }
}
