import type { Page } from 'playwright-core';
import { AgentClient } from './agent-client.js';
import { enrolledHost, signup, type Tenant } from './factories.js';
import { container, dockerId, logLine, metric, processInfo } from './telemetry.js';
import type { TestApp } from './test-app.js';

export const CRASH_RULE = 'Worker crashed';
export const LAST_LOG_LINES = ['worker starting', 'connecting to queue', 'FATAL: QUEUE_URL is not set'];

export interface CrashingWorker {
  tenant: Tenant;
  agent: AgentClient;
  /** Sends the `die` frame that fires the `died` rule. */
  die: (exitCode: number) => Promise<void>;
}

/**
 * An organization with one enrolled host running `worker-1` (and a neighbour), whose agent has sent
 * the telemetry a crash context is made of, and a `container_event` rule for `died`.
 */
export async function crashingWorker(t: TestApp): Promise<CrashingWorker> {
  const tenant = await signup(t);
  const { agentToken } = await enrolledHost(t, tenant, 'app-01');
  const agent = await AgentClient.connect(t.baseUrl, agentToken);
  const worker = dockerId();
  const now = Date.now();
  const accepted = async (frame: Record<string, unknown>) => {
    const answer = await agent.send(frame);
    if (answer.type !== 'ack') throw new Error(`agent frame ${String(frame.type)} refused: ${JSON.stringify(answer)}`);
  };
  await accepted({ type: 'containers', data: [container(worker, { name: '/worker-1' }), container(dockerId(), { name: '/neighbour-1' })] });
  await accepted({ type: 'metrics', data: [3, 2, 1].map((minutes) => metric(worker, now - minutes * 60_000, { cpuPercent: 20 * minutes })) });
  await accepted({ type: 'logs', data: LAST_LOG_LINES.map((line, i) => logLine(worker, now - 3_000 + i, line, i === 2 ? 'stderr' : 'stdout')) });
  await accepted({ type: 'processes', ts: now - 10_000, data: [processInfo(101, { name: 'node', cpuPercent: 42 }), processInfo(102, { name: 'sh' })] });
  await t
    .http()
    .post('/api/alert-rules')
    .auth(tenant.token, { type: 'bearer' })
    .send({ name: CRASH_RULE, severity: 'critical', scope: {}, channelIds: [], enabled: true, condition: { type: 'container_event', events: ['died'] } })
    .expect(201);
  return { tenant, agent, die: (exitCode) => accepted({ type: 'container_events', data: [{ containerId: worker, ts: Date.now(), action: 'die', exitCode }] }) };
}

/** Resolves once the page's `/live` socket has the topic confirmed; call before the page opens it. */
export function liveTopicSubscribed(page: Page, topic: string): Promise<void> {
  return new Promise((resolve) =>
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(String(payload));
        if (frame.type === 'subscribed' && frame.topics?.includes(topic)) resolve();
      }),
    ),
  );
}
