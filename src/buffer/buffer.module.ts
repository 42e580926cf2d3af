import { Global, Module } from '@nestjs/common';
import { BatchingBuffer } from './batching-buffer.js';

/** Global so every telemetry module registers its sink on the same instance and shares one memory bound. */
@Global()
@Module({ providers: [BatchingBuffer], exports: [BatchingBuffer] })
export class BufferModule {}
