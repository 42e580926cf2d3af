import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What it was answered. */
  status: number;
}

export interface Reply {
  status: number;
  body?: string;
  delayMs?: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 that records every request. It answers 200 unless a rule set
 * with `answer(path, …)` says otherwise (given how many requests that path had, the current one
 * included); `down()` stops listening and `up()` listens again on the same port.
 */
export async function startHttpReceiver() {
  const received: Received[] = [];
  const rules = new Map<string, (count: number) => Reply>();
  let concurrent = 0;
  let peakConcurrent = 0;
  const server = createServer((req, res) => {
    concurrent++;
    peakConcurrent = Math.max(peakConcurrent, concurrent);
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url!;
      const count = received.filter((r) => r.path === path).length + 1;
      const reply = rules.get(path)?.(count) ?? { status: 200 };
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: reply.status });
      setTimeout(() => {
        concurrent--;
        res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? 'ok');
      }, reply.delayMs ?? 0);
    });
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    received,
    base: `http://127.0.0.1:${port}`,
    at: (path: string) => received.filter((r) => r.path === path),
    answer: (path: string, rule: (count: number) => Reply) => rules.set(path, rule),
    get peakConcurrent() {
      return peakConcurrent;
    },
    resetPeak: () => (peakConcurrent = concurrent),
    down: stop,
    up: () => listen(port),
    close: stop,
  };
}

export interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1, plain text, no authentication. */
export async function startSmtpReceiver() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: (session.envelope.mailFrom as { address: string }).address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
