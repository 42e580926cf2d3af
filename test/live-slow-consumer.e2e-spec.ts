import { setImmediate as yieldToIo } from 'node:timers/promises';
import { commandsTopic } from '../src/commands/command-events.js';
import { EventBus } from '../src/events/event-bus.js';
import { LiveGateway } from '../src/live/live.gateway.js';
import { signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A dashboard whose socket stops reading is closed as a slow consumer. When it reads again, it
 * must be told why (4008 "slow consumer"), not find the connection cut (1006).
 */
describe('live: slow consumers are told 4008', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ LIVE_MAX_BUFFERED_BYTES: '262144', LIVE_HEARTBEAT_MS: '600000' });
    tenant = await signup(t);
  });
  afterAll(() => t.close());

  /**
   * Publishes 16 kB command frames for the tenant, yielding so the sockets write, until the server
   * stops serving the paused dashboard (kernel buffers first absorb a few MB), at most 64 MB.
   */
  async function floodUntilDropped(served: number): Promise<void> {
    const bus = t.app.get(EventBus);
    const gateway = t.app.get(LiveGateway);
    const data = { note: 'x'.repeat(16_000) };
    for (let i = 0; i < 64 * 64 && gateway.connectionCount() > served; i++) {
      bus.publish(commandsTopic(tenant.organizationId), { type: 'command', data: { i, ...data } });
      if (i % 8 === 0) await yieldToIo();
    }
    expect(gateway.connectionCount()).toBe(served);
  }

  it('closes a paused dashboard with 4008, delivered once it reads again', async () => {
    const served = t.app.get(LiveGateway).connectionCount();
    const stalled = await LiveClient.connect(t, tenant.token);
    await stalled.subscribe('commands');
    stalled.socket.pause();
    await floodUntilDropped(served);
    // Longer than a browser tab is typically frozen for, and longer than the old 1 s grace.
    await sleep(3_000);
    stalled.socket.resume();
    const closed = await stalled.closed;
    expect(closed).toEqual({ code: 4008, reason: 'slow consumer' });
    expect(stalled.frames.length).toBeGreaterThan(0);
  });

  it('stops serving a dashboard at once, and cuts it off once it has read nothing for 5 s', async () => {
    const gateway = t.app.get(LiveGateway);
    const before = gateway.connectionCount();
    const gone = await LiveClient.connect(t, tenant.token);
    await gone.subscribe('commands');
    gone.socket.pause();
    await floodUntilDropped(before);
    // Past the grace the server has destroyed its end: what the kernel still held arrives, the close frame never does.
    await sleep(8_500);
    gone.socket.resume();
    expect((await gone.closed).code).toBe(1006);
  });
});
