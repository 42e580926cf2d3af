import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpPost } from './http-post.js';

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
