import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { forbiddenHostReason, isForbiddenAddress } from '../address-classifier.js';
import type { DeliveryResult } from '../notification-message.js';

const TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 1_000;

type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for the socket that refuses loopback, link-local and unspecified addresses: the
 * address the connection uses is the one checked, so a name that resolved to a public address
 * when the channel was saved (or a moment ago) cannot be made to point inward now (DNS rebinding).
 */
export function guardedLookup(resolve: Resolve = dnsLookup as unknown as Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const bad = addresses.find(({ address }) => isForbiddenAddress(address));
      if (bad) {
        const refused = Object.assign(new Error(`${hostname} resolves to ${bad.address}, a loopback, link-local or unspecified address`), { code: 'EREFUSEDADDRESS' });
        return callback(refused, '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs to a receiver: its host checked against the SSRF rule first and again on the address the
 * socket connects to (unless private addresses are allowed), redirects not followed (a 3xx fails
 * with its status), a 10 s limit on the whole exchange.
 */
export async function httpPost(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<DeliveryResult> {
  const target = new URL(url);
  if (!allowPrivate) {
    const reason = await forbiddenHostReason(target);
    if (reason) return { ok: false, error: `Refused: ${reason}` };
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
    ...(allowPrivate ? {} : { lookup: guardedLookup() }),
  };
  return new Promise<DeliveryResult>((resolve) => {
    const req = send(target, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_BODY_CHARS) text += chunk;
        else res.destroy();
      });
      const finish = () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve({ ok: true, status });
        const why = status >= 300 && status < 400 ? 'redirected (redirects are not followed)' : `answered ${status}`;
        resolve({ ok: false, status, body: text.slice(0, MAX_BODY_CHARS), error: `The receiver ${why}` });
      };
      res.on('end', finish);
      res.on('close', finish);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT_RECEIVER' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EREFUSEDADDRESS') return resolve({ ok: false, error: `Refused: ${error.message}` });
      const detail = error.code === 'ETIMEDOUT_RECEIVER' ? error.message : (error.code ?? error.message);
      resolve({ ok: false, error: `The receiver could not be reached: ${detail}` });
    });
    req.end(body);
  });
}
