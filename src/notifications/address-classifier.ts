import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

// The SSRF rule of CONTRACT.md: loopback, link-local and unspecified addresses, IPv4 and IPv6.

function ipv4Forbidden(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return a === 127 || a === 0 || (a === 169 && b === 254);
}

/** The eight 16-bit groups of an IPv6 address (with any dotted IPv4 tail folded in). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

const embeddedIpv4 = (groups: number[]) => `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;

/** True when `address` (an IP literal) is loopback, link-local or unspecified, including IPv4 inside IPv6. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIPv4(bare)) return ipv4Forbidden(bare);
  if (!isIPv6(bare)) return false;
  const g = ipv6Groups(bare);
  const zeroUpTo = (n: number) => g.slice(0, n).every((group) => group === 0);
  if (zeroUpTo(7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  if ((g[0] & 0xffc0) === 0xfe80) return true; // fe80::/10
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4Forbidden(embeddedIpv4(g)); // ::ffff:a.b.c.d
  if (zeroUpTo(6)) return ipv4Forbidden(embeddedIpv4(g)); // ::a.b.c.d (IPv4-compatible)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return ipv4Forbidden(embeddedIpv4(g)); // NAT64
  return false;
}

const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

/** Why a URL's host is refused, or undefined when it is allowed. Names are resolved (all addresses); one that does not resolve is left to the delivery to fail. */
export async function forbiddenHostReason(url: URL, timeoutMs = 5_000): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLocalhostName(host)) return `${host} is a loopback name`;
  if (isIPv4(host) || isIPv6(host)) return isForbiddenAddress(host) ? `${host} is a loopback, link-local or unspecified address` : undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  const addresses = await Promise.race([lookup(host, { all: true, verbatim: true }).catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  const bad = addresses?.find(({ address }) => isForbiddenAddress(address));
  return bad ? `${host} resolves to ${bad.address}, a loopback, link-local or unspecified address` : undefined;
}
