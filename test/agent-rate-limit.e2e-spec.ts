import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { container, dockerId, hostMetric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** 10 tokens a second, at most 60: a 100-container snapshot costs 51 of them, a small frame 1. */
const ENV = { AGENT_RATE_LIMIT: '10', AGENT_RATE_BURST: '60' };

describe('agent rate limit weighted by cost', () => {
  let t: TestApp;
  let flooder: AgentClient;
  let neighbour: AgentClient;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    const tenant = await signup(t);
    flooder = await AgentClient.connect(t.baseUrl, (await enrolledHost(t, tenant, 'flooder')).agentToken);
    neighbour = await AgentClient.connect(t.baseUrl, (await enrolledHost(t, tenant, 'neighbour')).agentToken);
  });
  afterAll(async () => {
    await flooder.close();
    await neighbour.close();
    await t.close();
  });

  it("charges a snapshot by its containers, and reads nothing more of a limited host until its tokens are back", async () => {
    const snapshot = { type: 'containers', data: Array.from({ length: 100 }, () => container(dockerId())) };
    const firstSentAt = performance.now();
    expect(await flooder.send(snapshot)).toEqual(expect.objectContaining({ type: 'ack' }));
    const limited = await flooder.send(snapshot);
    const limitedAt = performance.now();
    expect(limited).toEqual(expect.objectContaining({ type: 'error', code: 'rate_limited' }));
    // 9 tokens left after the first, 51 needed: 4.2 s at 10 a second, less what came back while the
    // first was handled (a busy machine can take a few hundred milliseconds over it).
    const retryAfterMs = limited.type === 'error' ? limited.retryAfterMs! : 0;
    expect(retryAfterMs).toBeGreaterThan(4_200 - (limitedAt - firstSentAt) - 50);
    expect(retryAfterMs).toBeLessThanOrEqual(4_200);

    // Resent at once, ignoring retryAfterMs: not read (nor answered) until the tokens are there, then accepted.
    const resent = flooder.send(snapshot);
    // Another host is not held back meanwhile.
    expect(await neighbour.send({ type: 'host_metrics', data: [hostMetric(Date.now())] })).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(performance.now() - limitedAt).toBeLessThan(2_000);
    expect(await resent).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(performance.now() - limitedAt).toBeGreaterThan(retryAfterMs - 100);
  });
});
