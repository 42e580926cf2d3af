import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, httpPost } from './http-post.js';

describe('httpPost', () => {
  it('checks the SSRF rule again at delivery: a loopback receiver is refused before any connection', async () => {
    let hits = 0;
    const server = createServer((_, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      expect(await httpPost(url, {}, '{}', false)).toEqual({ ok: false, error: expect.stringMatching(/^Refused: 127\.0\.0\.1 is a loopback/) });
      expect(await httpPost(new URL(url).href.replace('127.0.0.1', 'localhost'), {}, '{}', false)).toMatchObject({ ok: false, error: expect.stringMatching(/^Refused/) });
      expect(hits).toBe(0);
      expect(await httpPost(url, {}, '{}', true)).toEqual({ ok: true, status: 200 });
      expect(hits).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('guardedLookup', () => {
  const resolving =
    (...addresses: string[]) =>
    (_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  const ask = (lookup: ReturnType<typeof guardedLookup>, all = false) =>
    new Promise<{ error: any; address: unknown }>((resolve) => lookup('hooks.example.com', { all } as any, (error: any, address: unknown) => resolve({ error, address })));

  it('refuses a name that now resolves to a loopback or link-local address (DNS rebinding)', async () => {
    expect((await ask(guardedLookup(resolving('93.184.216.34', '127.0.0.1') as any))).error).toMatchObject({ code: 'EREFUSEDADDRESS', message: expect.stringContaining('127.0.0.1') });
    expect((await ask(guardedLookup(resolving('fe80::1') as any))).error).toMatchObject({ code: 'EREFUSEDADDRESS' });
  });

  it('hands a public address to the socket, one or all as asked', async () => {
    expect(await ask(guardedLookup(resolving('93.184.216.34') as any))).toEqual({ error: null, address: '93.184.216.34' });
    expect((await ask(guardedLookup(resolving('93.184.216.34', '2606:2800::1') as any), true)).address).toHaveLength(2);
  });
});
