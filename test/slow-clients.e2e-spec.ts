import { connect, type Socket } from 'node:net';
import { readdirSync, readlinkSync } from 'node:fs';
import { startTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Sockets this process holds open: the server's ends and, here in the same process, the clients'. */
const openSockets = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;

interface Dribbler {
  socket: Socket;
  /** Milliseconds from connect until the server closed the connection. */
  closedAfter: Promise<number>;
  received: () => string;
}

/** A raw connection that sends `head` at once, then `dribble` one byte every `everyMs`, never finishing. */
function dribbler(t: TestApp, head: string, dribble: string, everyMs = 200): Dribbler {
  const { port } = new URL(t.baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  const started = Date.now();
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    socket.write(head);
    let i = 0;
    if (dribble) timer = setInterval(() => socket.writable && socket.write(dribble[i++ % dribble.length]), everyMs);
  });
  const closedAfter = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  return { socket, closedAfter, received: () => received };
}

/** Resolves with the connection's close time, or rejects when it is still open after `ms`. */
const closedWithin = (d: Dribbler, ms: number) =>
  Promise.race([d.closedAfter, sleep(ms).then(() => Promise.reject(new Error(`connection still open after ${ms} ms`)))]);

describe('slow HTTP clients (slowloris)', () => {
  let t: TestApp;
  const open: Dribbler[] = [];
  beforeAll(async () => {
    t = await startTestApp({ HTTP_HEADERS_TIMEOUT: '2s', HTTP_REQUEST_TIMEOUT: '4s', HTTP_KEEP_ALIVE_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    for (const d of open) d.socket.destroy();
    await t.close();
  });
  const track = (d: Dribbler) => (open.push(d), d);

  it('closes 60 connections that send their headers byte by byte within seconds, freeing their descriptors', async () => {
    const before = openSockets();
    const dribblers = Array.from({ length: 60 }, () => track(dribbler(t, 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: abcdefgh\r\n')));
    await sleep(500);
    const during = openSockets();
    const times = await Promise.all(dribblers.map((d) => closedWithin(d, 6_000)));
    await sleep(200);
    const after = openSockets();
    console.log(`slowloris: sockets ${before} → ${during} → ${after}; closed after ${Math.min(...times)}–${Math.max(...times)} ms`);
    expect(Math.max(...times)).toBeLessThan(4_000);
    expect(dribblers.every((d) => d.received().startsWith('HTTP/1.1 408'))).toBe(true);
    expect(during - before).toBeGreaterThanOrEqual(120);
    expect(after).toBeLessThanOrEqual(before);
  });

  it('closes a connection that never sends anything', async () => {
    const silent = track(dribbler(t, '', '', 60_000));
    expect(await closedWithin(silent, 6_000)).toBeLessThan(4_000);
  });

  it('closes a client that dribbles its body, once HTTP_REQUEST_TIMEOUT has passed', async () => {
    const head = 'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n';
    const slow = track(dribbler(t, head, '{"email": "a@b.c", "password": "xxxxxxxxxx"}'));
    const after = await closedWithin(slow, 9_000);
    expect(after).toBeGreaterThanOrEqual(3_500);
    expect(after).toBeLessThan(6_500);
  });

  it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT, and serves normal requests', async () => {
    const keepAlive = track(dribbler(t, 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', '', 60_000));
    const after = await closedWithin(keepAlive, 6_000);
    expect(keepAlive.received()).toMatch(/^HTTP\/1\.1 200/);
    // Node keeps an idle connection one second past keepAliveTimeout (1 s here; 5 s by default).
    expect(after).toBeLessThan(3_000);
    await t.http().get('/api/health').expect(200);
  });
});
