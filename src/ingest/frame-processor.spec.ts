import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { jest } from '@jest/globals';
import { BufferClosedError, BufferRefusedError } from '../buffer/buffer.errors.js';
import { validateEnvironment } from '../config/environment.js';
import type { HelloFrameDto } from '../hosts/dto/hello-frame.dto.js';
import { HELLO_KIND } from '../hosts/hello.kind.js';
import { AgentRateLimiter } from './agent-rate-limiter.js';
import type { FrameHandler } from './frame-handler.js';
import { FrameProcessor, TRANSIENT_ATTEMPTS } from './frame-processor.js';
import { FrameRegistry } from './frame-registry.js';
import { IngestStats } from './ingest-stats.js';

const agent = { hostId: 'host', organizationId: 'org' };
const hello = { type: 'hello', seq: 7, agentVersion: '1', hostname: 'h' };
const sqlError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** A `hello` handler that throws the given errors, one per call, then succeeds. */
function processorWith(errors: unknown[]) {
  const calls: object[] = [];
  const handler: FrameHandler<HelloFrameDto> = {
    async handle(_agent, frame) {
      calls.push(frame);
      if (errors.length) throw errors.shift();
    },
  };
  const registry = new FrameRegistry(undefined as never, undefined as never);
  registry.register(HELLO_KIND, handler as FrameHandler);
  const config = new ConfigService(validateEnvironment({ AGENT_RATE_LIMIT: '0' }));
  return { processor: new FrameProcessor(registry, new IngestStats(), new AgentRateLimiter(config as never)), calls };
}

afterEach(() => jest.restoreAllMocks());

describe('FrameProcessor answers database failures', () => {
  it('retries a frame whose handler hit a deadlock or serialization failure, and acks it', async () => {
    const { processor, calls } = processorWith([sqlError('40P01', 'deadlock detected'), sqlError('40001', 'could not serialize access')]);
    await expect(processor.process(agent, hello)).resolves.toEqual({ type: 'ack', seq: 7 });
    expect(calls).toHaveLength(3);
  });

  it(`answers unavailable, never internal, when deadlocks persist through ${TRANSIENT_ATTEMPTS} attempts`, async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { processor, calls } = processorWith(Array.from({ length: 10 }, () => sqlError('40P01', 'deadlock detected')));
    await expect(processor.process(agent, hello)).resolves.toMatchObject({ type: 'error', seq: 7, code: 'unavailable', retryAfterMs: expect.any(Number) });
    expect(calls).toHaveLength(TRANSIENT_ATTEMPTS);
    expect(error).not.toHaveBeenCalled();
  });

  it('does not retry other failures', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { processor, calls } = processorWith([new Error('a bug')]);
    await expect(processor.process(agent, hello)).resolves.toMatchObject({ code: 'internal' });
    expect(calls).toHaveLength(1);
  });

  it('answers invalid_message when the database refuses the frame itself (a data exception)', async () => {
    const { processor, calls } = processorWith([sqlError('22P05', 'unsupported Unicode escape sequence')]);
    const answer = await processor.process(agent, hello);
    expect(answer).toMatchObject({ type: 'error', code: 'invalid_message', details: [{ path: '', message: expect.stringContaining('unsupported Unicode escape sequence') }] });
    expect(calls).toHaveLength(1);
  });

  it('answers invalid_message for rows the buffer found refused, naming data', async () => {
    const { processor } = processorWith([new BufferRefusedError('value "2147483648" is out of range for type integer')]);
    await expect(processor.process(agent, hello)).resolves.toMatchObject({
      code: 'invalid_message',
      details: [{ path: 'data', message: expect.stringContaining('out of range for type integer') }],
    });
  });

  it('answers unavailable for a frame given up at shutdown', async () => {
    const { processor } = processorWith([new BufferClosedError(1000)]);
    await expect(processor.process(agent, hello)).resolves.toMatchObject({ code: 'unavailable', retryAfterMs: 1000 });
  });
});
