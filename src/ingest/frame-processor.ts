import { Injectable, Logger } from '@nestjs/common';
import { BufferOverloadedError, BufferUnavailableError } from '../buffer/buffer.errors.js';
import { AgentRateLimiter, frameCost } from './agent-rate-limiter.js';
import { isDatabaseUnavailable } from './database-errors.js';
import { FrameRejectedError, type AgentContext } from './frame-handler.js';
import { FrameRegistry } from './frame-registry.js';
import { IngestStats } from './ingest-stats.js';
import { errorFrame, MAX_ITEMS, type FrameAnswer } from './protocol.js';
import { validateFrame } from './validate-frame.js';

const DATABASE_RETRY_MS = 2_000;

/**
 * The agent protocol minus the transport: one frame in, exactly one answer out (ack or error).
 * Shared by the /agent socket and POST /api/agent/ingest, so both behave identically.
 */
@Injectable()
export class FrameProcessor {
  private readonly logger = new Logger(FrameProcessor.name);

  constructor(
    private readonly registry: FrameRegistry,
    private readonly stats: IngestStats,
    private readonly rateLimiter: AgentRateLimiter,
  ) {}

  processText(agent: AgentContext, text: string): Promise<FrameAnswer> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return Promise.resolve(errorFrame(null, 'invalid_json', 'Frame is not valid JSON'));
    }
    return this.process(agent, body);
  }

  async process(agent: AgentContext, body: unknown): Promise<FrameAnswer> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return errorFrame(null, 'invalid_message', 'A frame must be a JSON object', { details: [{ path: '', message: 'frame must be an object' }] });
    }
    const { type, seq, data } = body as { type?: unknown; seq?: unknown; data?: unknown };
    if (!Number.isSafeInteger(seq) || (seq as number) <= 0) {
      return errorFrame(null, 'invalid_message', 'seq must be a positive integer', { details: [{ path: 'seq', message: 'seq must be a positive integer' }] });
    }
    const answer = await this.dispatch(agent, type, seq as number, body, data);
    if (answer.type === 'error' && typeof type === 'string') this.stats.rejected(type);
    return answer;
  }

  private async dispatch(agent: AgentContext, type: unknown, seq: number, body: object, data: unknown): Promise<FrameAnswer> {
    const handler = this.registry.get(type);
    if (!handler) {
      return errorFrame(seq, 'unknown_type', `Unknown frame type ${JSON.stringify(type)}; expected one of: ${this.registry.types().join(', ')}`);
    }
    if (Array.isArray(data) && data.length > MAX_ITEMS) {
      return errorFrame(seq, 'too_many_items', `A frame carries at most ${MAX_ITEMS} items; this one has ${data.length}`);
    }
    const waitMs = this.rateLimiter.take(agent.hostId, frameCost(type, data));
    if (waitMs > 0) return errorFrame(seq, 'rate_limited', 'Too many frames from this host', { retryAfterMs: waitMs });
    const validated = validateFrame(handler.dto, body);
    if ('errors' in validated) {
      return errorFrame(seq, 'invalid_message', `Invalid ${handler.type} frame: ${validated.errors.length} problem(s)`, { details: validated.errors.slice(0, 50) });
    }
    try {
      await handler.handle(agent, validated.frame);
      return { type: 'ack', seq };
    } catch (error) {
      return this.failure(seq, handler.type, error);
    }
  }

  private failure(seq: number, type: string, error: unknown): FrameAnswer {
    if (error instanceof FrameRejectedError) return errorFrame(seq, 'invalid_message', error.message, { details: error.details });
    if (error instanceof BufferOverloadedError) {
      return errorFrame(seq, 'overloaded', 'The server is busy; nothing was stored, resend later', { retryAfterMs: error.retryAfterMs });
    }
    if (error instanceof BufferUnavailableError || isDatabaseUnavailable(error)) {
      const retryAfterMs = error instanceof BufferUnavailableError ? error.retryAfterMs : DATABASE_RETRY_MS;
      return errorFrame(seq, 'unavailable', 'Storage is unavailable; nothing was stored, resend later', { retryAfterMs });
    }
    this.logger.error(`Handling a ${type} frame failed: ${(error as Error)?.stack ?? error}`);
    return errorFrame(seq, 'internal', 'The server failed to process this frame; nothing is guaranteed stored, resend later');
  }
}
