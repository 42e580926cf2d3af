import { ValidateBy } from 'class-validator';
import { isIP } from 'node:net';
import { splitList } from './is-origin-list.decorator.js';

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length || !isIP(address)) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
}

/**
 * Express's `trust proxy` setting from TRUST_PROXY: `true` (every hop), a number of hops, or a
 * comma-separated list of addresses, CIDR ranges and `loopback`/`linklocal`/`uniquelocal`.
 */
export function trustProxySetting(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return splitList(value);
}

export const IsTrustProxy = () =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && (/^(true|false|\d+)$/.test(value) || (splitList(value).length > 0 && splitList(value).every(isAddressOrRange))),
      defaultMessage: (args) =>
        `${args?.property} must be true, false, a number of proxy hops, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal`,
    },
  });
