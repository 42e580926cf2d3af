import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { hostMetric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The second line of defence (issue 10, finding 1): a flush the database refuses for a reason the
 * door cannot know about is split until the frame at fault stands alone. Here the refusal is a
 * real CHECK constraint (SQLSTATE 23514) on host_metrics that a test adds and drops again.
 */
const POISON_LOAD = 4242.5;
/** The answer, or 'unanswered' after `ms`; the timer never outlives the answer. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'unanswered'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a flush the database refuses is split', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A long flush age and no early write when idle, so that every frame below shares one flush.
    t = await startTestApp({ BUFFER_FLUSH_MS: '1500', BUFFER_FLUSH_IDLE: 'false', AGENT_RATE_LIMIT: '0' });
    await t.sql.exec(`ALTER TABLE host_metrics ADD CONSTRAINT test_refuses_poison CHECK (load1 <> ${POISON_LOAD})`);
  });
  afterAll(async () => {
    // The run's database is shared by every spec file on PostgreSQL.
    await t.sql.exec('ALTER TABLE host_metrics DROP CONSTRAINT IF EXISTS test_refuses_poison');
    await t.close();
  });

  it("answers the refused frame invalid_message and acks and stores the other tenants' frames of that flush", async () => {
    const agents = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const host = await enrolledHost(t, await signup(t));
        return { host, agent: await AgentClient.connect(t.baseUrl, host.agentToken) };
      }),
    );
    const ts = Date.now() - 5_000;
    const answers = agents.map(({ agent }, i) =>
      agent.send({ type: 'host_metrics', data: [hostMetric(ts), hostMetric(ts - 1_000, { load1: i === 2 ? POISON_LOAD : 1 })] }),
    );
    const [a, b, poisoned, d] = await Promise.all(answers.map((answer) => within(answer, 15_000)));
    for (const answer of [a, b, d]) expect(answer).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(poisoned).toEqual(
      expect.objectContaining({
        type: 'error',
        code: 'invalid_message',
        details: [expect.objectContaining({ path: 'data', message: expect.stringContaining('test_refuses_poison') })],
      }),
    );
    const stored = async (hostId: string) => (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM host_metrics WHERE host_id = $1', [hostId]))[0].n;
    expect(await Promise.all(agents.map(({ host }) => stored(host.hostId)))).toEqual([2, 2, 0, 2]);

    // The agent at fault keeps its socket and its next frames are stored.
    expect(await within(agents[2].agent.send({ type: 'host_metrics', data: [hostMetric(ts)] }), 15_000)).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(await stored(agents[2].host.hostId)).toBe(1);
    await Promise.all(agents.map(({ agent }) => agent.close()));
  });
});
