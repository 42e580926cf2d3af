import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook-style channels. `down()` makes it answer 503
 * until `up()`; every request is recorded, accepted or not.
 */
export async function startAlertReceiver(port = 0) {
  const received: Delivery[] = [];
  const accepted: Delivery[] = [];
  let failing = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const delivery = { path: req.url!, headers: req.headers, body, json, at: Date.now() };
      received.push(delivery);
      if (failing) return res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver down for maintenance');
      accepted.push(delivery);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    received,
    accepted,
    base: `http://127.0.0.1:${address.port}`,
    port: address.port,
    down: () => (failing = true),
    up: () => (failing = false),
    /** Waits until `count` accepted deliveries match `filter`. */
    async waitFor(filter: (d: Delivery) => boolean, count = 1, timeoutMs = 15_000): Promise<Delivery[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = accepted.filter(filter);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${found.length} (of ${accepted.length} accepted, ${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `read` until `until` holds, or fails with what it last saw. */
export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
