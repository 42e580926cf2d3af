import { Injectable, Logger } from '@nestjs/common';
import { jittered } from '../buffer/backoff.js';
import { BufferClosedError, BufferOverloadedError, BufferRefusedError, BufferUnavailableError } from '../buffer/buffer.errors.js';
import { isDatabaseConflict, isDatabaseUnavailable, isDataError, isTransientDatabaseError } from '../database/database-errors.js';
import { RefusalLedger } from '../gap-ledger/refusal-ledger.js';
import { AgentRateLimiter, frameCost } from './agent-rate-limiter.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from './frame-handler.js';
import { describeType } from '../common/describe-type.js';
import { parseJsonBytes } from '../common/json-bytes.js';
import { FrameRegistry } from './frame-registry.js';
import { IngestStats } from './ingest-stats.js';
import { errorFrame, MAX_ITEMS, type FrameAnswer } from './protocol.js';
import { validateFrame } from './validate-frame.js';

const DATABASE_RETRY_MS = 2_000;
/** A deadlock or serialization failure is retried here, this many times in all, before the frame is answered `unavailable`. */
export const TRANSIENT_ATTEMPTS = 4;
const TRANSIENT_FIRST_RETRY_MS = 20;
const BUSY_RETRY_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    private readonly refusals?: RefusalLedger,
  ) {}

  /** A frame as its bytes arrived: parsed without building one string of a large frame (common/json-bytes). */
  processBytes(agent: AgentContext, bytes: Buffer): Promise<FrameAnswer> {
    const arrived = performance.now();
    let body: unknown;
    try {
      body = parseJsonBytes(bytes);
    } catch {
      this.refusals?.refused(agent.hostId, 'unknown', 'invalid_json');
      this.stats.answered('unknown', (performance.now() - arrived) / 1000, 'invalid_json');
      return Promise.resolve(errorFrame(null, 'invalid_json', 'Frame is not valid JSON'));
    }
    return this.processFrom(arrived, agent, body);
  }

  process(agent: AgentContext, body: unknown): Promise<FrameAnswer> {
    return this.processFrom(performance.now(), agent, body);
  }

  /** Answers the frame and records it once, whichever transport brought it, timed from its arrival. */
  private async processFrom(arrived: number, agent: AgentContext, body: unknown): Promise<FrameAnswer> {
    const answer = await this.answer(agent, body);
    const { type, data } = (typeof body === 'object' && body !== null ? body : {}) as { type?: unknown; data?: unknown };
    // Only registered kinds become labels: whatever an agent writes in `type` must not grow the series.
    const kind = typeof type === 'string' && this.registry.get(type) ? type : 'unknown';
    if (answer.type === 'error') this.refusals?.refused(agent.hostId, kind, answer.code, data);
    this.stats.answered(kind, (performance.now() - arrived) / 1000, answer.type === 'error' ? answer.code : undefined);
    return answer;
  }

  private async answer(agent: AgentContext, body: unknown): Promise<FrameAnswer> {
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
    const registered = this.registry.get(type);
    if (!registered) {
      return errorFrame(seq, 'unknown_type', `Unknown frame type ${describeType(type)}; expected one of: ${this.registry.types().join(', ')}`);
    }
    if (Array.isArray(data) && data.length > MAX_ITEMS) {
      return errorFrame(seq, 'too_many_items', `A frame carries at most ${MAX_ITEMS} items; this one has ${data.length}`);
    }
    const taken = this.rateLimiter.take(agent.hostId, frameCost(type, data));
    // In-process the answer is at hand; with Redis it is one pipelined round trip, which an ack (it waits for a commit) dwarfs.
    const waitMs = typeof taken === 'number' ? taken : await taken;
    if (waitMs > 0) return errorFrame(seq, 'rate_limited', 'Too many frames from this host', { retryAfterMs: waitMs });
    const full = this.registry.refusalNow(registered);
    if (full) return this.failure(seq, registered.kind.type, full);
    try {
      const validated = validateFrame(registered.kind.dto, body);
      if ('errors' in validated) {
        return errorFrame(seq, 'invalid_message', `Invalid ${registered.kind.type} frame: ${validated.errors.length} problem(s)`, { details: validated.errors.slice(0, 50) });
      }
      await this.handle(registered.handler, agent, validated.frame);
      this.stats.accepted(registered.kind.type);
      return { type: 'ack', seq };
    } catch (error) {
      return this.failure(seq, registered.kind.type, error);
    }
  }

  /**
   * Runs the handler, again after a short jittered pause when the database refused the attempt for
   * a passing reason (deadlock, serialization failure, lock timeout). Handlers are idempotent, and
   * such a failure rolled their transaction back.
   */
  private async handle(handler: FrameHandler, agent: AgentContext, frame: object): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handler.handle(agent, frame);
      } catch (error) {
        if (attempt >= TRANSIENT_ATTEMPTS || !isDatabaseConflict(error)) throw error;
        await sleep(jittered(TRANSIENT_FIRST_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private failure(seq: number, type: string, error: unknown): FrameAnswer {
    if (error instanceof FrameRejectedError) return errorFrame(seq, 'invalid_message', error.message, { details: error.details });
    if (error instanceof BufferRefusedError) {
      return errorFrame(seq, 'invalid_message', `The database refused this ${type} frame; nothing of it was stored`, {
        details: [{ path: 'data', message: `data: the database refused these rows: ${error.reason}` }],
      });
    }
    if (isDataError(error)) {
      const reason = (error as Error).message;
      return errorFrame(seq, 'invalid_message', `The database refused this ${type} frame: ${reason}`, { details: [{ path: '', message: `the database refused this frame: ${reason}` }] });
    }
    if (error instanceof BufferOverloadedError) {
      return errorFrame(seq, 'overloaded', 'The server is busy; nothing was stored, resend later', { retryAfterMs: error.retryAfterMs });
    }
    if (error instanceof BufferClosedError) {
      return errorFrame(seq, 'unavailable', 'The server shut down before this frame was committed; resend it (nothing is ever stored twice)', { retryAfterMs: error.retryAfterMs });
    }
    if (isTransientDatabaseError(error)) {
      return errorFrame(seq, 'unavailable', 'The database is busy; resend later (nothing is ever stored twice)', { retryAfterMs: BUSY_RETRY_MS });
    }
    if (error instanceof BufferUnavailableError || isDatabaseUnavailable(error)) {
      const retryAfterMs = error instanceof BufferUnavailableError ? error.retryAfterMs : DATABASE_RETRY_MS;
      return errorFrame(seq, 'unavailable', 'Storage is unavailable; nothing was stored, resend later', { retryAfterMs });
    }
    this.logger.error(`Handling a ${type} frame failed: ${(error as Error)?.stack ?? error}`);
    return errorFrame(seq, 'internal', 'The server failed to process this frame; nothing is guaranteed stored, resend later');
  }
}

