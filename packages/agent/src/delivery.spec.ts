import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Delivery } from './delivery.js';
import type { Log } from './log.js';
import { Spool } from './spool.js';

describe('Delivery: a frame type the server does not know', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'delivery-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('drops each unknown_type frame from the spool, says so once, and keeps sending the rest', async () => {
    const lines: string[] = [];
    const log: Log = { debug: (m) => lines.push(`DEBUG ${m}`), info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
    const spool = new Spool(dir, 100, 1024 * 1024, log);
    await spool.open();
    const sent: { type: string; seq: number }[] = [];
    const delivery = new Delivery(spool, 8, log);
    delivery.attach({ send: (text) => sent.push(JSON.parse(text)) }, { maxItems: 5000, maxPayloadBytes: 1_048_576 });
    const event = { containerId: 'a'.repeat(64), ts: '2026-11-30T09:41:58.817Z', action: 'die', exitCode: 1 };

    await delivery.enqueue('container_events', [event]);
    await delivery.enqueue('container_events', [event]);
    await delivery.enqueue('host_metrics', [{ ts: '2026-11-30T09:41:58.817Z' }]);
    await waitFor(() => sent.length === 3);
    for (const frame of sent.filter((f) => f.type === 'container_events')) {
      delivery.handleAnswer({ type: 'error', seq: frame.seq, code: 'unknown_type', message: 'Unknown frame type: container_events' });
    }
    delivery.handleAnswer({ type: 'ack', seq: sent.find((f) => f.type === 'host_metrics')!.seq });

    expect(spool.size).toBe(0);
    expect(lines.filter((l) => /^(WARN|ERROR)/.test(l))).toEqual([
      `WARN Frame ${sent[0].seq} (container_events) refused: unknown_type: Unknown frame type: container_events: this server does not take container_events frames (an older server?); they are dropped, and further refusals logged only with --verbose`,
    ]);
    expect(lines).toContainEqual(`DEBUG Frame ${sent[1].seq} (container_events) refused: unknown_type: Unknown frame type: container_events; dropped`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(3);
  });
});

async function waitFor(probe: () => boolean, timeoutMs = 2_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !probe(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
