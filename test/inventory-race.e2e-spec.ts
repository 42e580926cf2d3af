import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { privateDatabase } from './support/private-database.js';
import { container, dockerId, logLine, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ITERATIONS = 400;
const TIME_LIMIT_MS = 60_000;
const CONTAINERS = 30;

/**
 * A host's inventory snapshot racing its own metrics and logs frames that name the same new
 * containers (which those frames create with state `unknown`), each naming them in another
 * order: on PostgreSQL all three lock the same container keys, and every frame must still be
 * acknowledged. (PGlite has one connection: its transactions never interleave, so never deadlock.)
 */
(process.env.DATABASE_URL ? describe : describe.skip)('inventory snapshots racing metrics and logs of new containers (PostgreSQL)', () => {
  let t: TestApp;
  let agent: AgentClient;
  let database: Awaited<ReturnType<typeof privateDatabase>>;

  beforeAll(async () => {
    database = await privateDatabase();
    t = await startTestApp({ AGENT_RATE_LIMIT: '0', BUFFER_FLUSH_MS: '20', ...database.env });
    const tenant = await signup(t);
    const host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  }, 120_000);
  afterAll(async () => {
    await agent.close();
    await t.close();
    await database.drop();
  });

  it('acknowledges every frame, never answering internal', async () => {
    const answers = new Map<string, number>();
    const started = Date.now();
    let iterations = 0;
    for (; iterations < ITERATIONS && Date.now() - started < TIME_LIMIT_MS; iterations++) {
      const ids = Array.from({ length: CONTAINERS }, dockerId);
      const now = Date.now();
      const reversed = [...ids].reverse();
      const interleaved = [...ids.filter((_, i) => i % 2 === 1), ...ids.filter((_, i) => i % 2 === 0)];
      const all: Answer[] = await Promise.all([
        agent.send({ type: 'metrics', data: reversed.map((id, i) => metric(id, now - i)) }),
        agent.send({ type: 'containers', data: ids.map((id) => container(id)) }),
        agent.send({ type: 'logs', data: interleaved.map((id, i) => logLine(id.slice(0, 12), now - i, `line ${i}`)) }),
      ]);
      for (const answer of all) {
        const key = answer.type === 'ack' ? 'ack' : answer.code;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(answers)).toEqual({ ack: 3 * iterations });
    expect(iterations).toBeGreaterThanOrEqual(100);
  }, 120_000);
});
