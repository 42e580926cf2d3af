import { BatchingBuffer } from '../src/buffer/batching-buffer.js';
import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { hostMetric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** `count` host samples one second apart, the newest `offsetS` seconds ago. */
const samples = (count: number, offsetS: number) => Array.from({ length: count }, (_, i) => hostMetric(Date.now() - (offsetS + i) * 1000));

describe('overload and shutdown drain', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing flushes on its own during the test: rows stay held until shutdown drains them.
    t = await startTestApp({ BUFFER_LIMIT_ROWS: '500', BUFFER_MAX_ROWS: '100000', BUFFER_FLUSH_MS: '60000', BUFFER_FLUSH_IDLE: 'false' });
  });

  it('answers overloaded beyond the bound without holding more, then on shutdown acks and stores what it held and closes with 1001', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const buffer = t.app.get(BatchingBuffer);

    const answers: Promise<Answer>[] = [];
    for (let frame = 0; frame < 20; frame++) answers.push(agent.send({ type: 'host_metrics', data: samples(100, frame * 100 + 1) }));
    const early = await Promise.race([Promise.all(answers.slice(5)), new Promise((r) => setTimeout(r, 5_000))]);
    expect(early).toHaveLength(15);
    for (const answer of early as Answer[]) {
      expect(answer).toMatchObject({ type: 'error', code: 'overloaded', retryAfterMs: expect.any(Number) });
    }
    expect(buffer.stats().host_metrics.pendingRows + buffer.stats().host_metrics.inFlightRows).toBe(500);
    expect(await t.sql.query('SELECT 1 FROM host_metrics WHERE host_id = $1', [hostId])).toHaveLength(0);

    const closing = t.close();
    const held = await Promise.all(answers.slice(0, 5));
    expect(held.every((answer) => answer.type === 'ack')).toBe(true);
    expect((await agent.closed).code).toBe(1001);
    const ackIndex = agent.frames.findIndex((f) => f.type === 'ack');
    expect(ackIndex).toBeGreaterThan(0);
    await closing;

    // Reopen the same database: everything acked is there, exactly once.
    const reopened = await startTestApp({ DATA_DIR: t.dataDir });
    try {
      expect(await reopened.sql.query('SELECT count(*)::int AS n FROM host_metrics WHERE host_id = $1', [hostId])).toEqual([{ n: 500 }]);
    } finally {
      await reopened.close();
    }
  });
});
