import { isEmail } from 'class-validator';

export const CHANNEL_TYPES = ['webhook', 'slack', 'discord', 'ntfy', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A channel's whole configuration, secrets included: what senders use, never what answers show. */
export interface ChannelConfig {
  url?: string;
  secret?: string;
  token?: string;
  to?: string[];
}

/** The settings each type has; the secret ones are stored encrypted and answered masked. */
export const SETTINGS: Record<ChannelType, readonly (keyof ChannelConfig)[]> = {
  webhook: ['url', 'secret'],
  slack: ['url'],
  discord: ['url'],
  ntfy: ['url', 'token'],
  email: ['to'],
};
const REQUIRED: Record<ChannelType, keyof ChannelConfig> = { webhook: 'url', slack: 'url', discord: 'url', ntfy: 'url', email: 'to' };
export const SECRET_SETTINGS = ['url', 'secret', 'token'] as const;

export const MASK = '••••••';
/** A URL as answers show it: scheme, host and port; path, query and credentials masked. */
export const maskUrl = (url: string) => `${new URL(url).origin}/${MASK}`;

const MAX_URL = 2048;
const MAX_SECRET = 256;
const MAX_RECIPIENTS = 20;
// Sent as an HTTP header value (Authorization): visible ASCII only, so no header can be smuggled in.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

function urlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL) return `config.url must be an http or https URL of at most ${MAX_URL} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'config.url must be an http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'config.url must be an http or https URL';
  return undefined;
}

const CHECKS: Record<keyof ChannelConfig, (value: unknown) => string | string[] | undefined> = {
  url: urlProblem,
  secret: (value) =>
    typeof value === 'string' && value.length >= 1 && value.length <= MAX_SECRET && value.isWellFormed()
      ? undefined
      : `config.secret must be a string of 1 to ${MAX_SECRET} characters`,
  token: (value) =>
    typeof value === 'string' && value.length <= MAX_SECRET && HEADER_SAFE.test(value)
      ? undefined
      : `config.token must be 1 to ${MAX_SECRET} visible ASCII characters`,
  to: (value) => {
    if (!Array.isArray(value) || value.length < 1 || value.length > MAX_RECIPIENTS) return `config.to must be a list of 1 to ${MAX_RECIPIENTS} email addresses`;
    return value.flatMap((address, index) =>
      typeof address === 'string' && address.length <= 254 && address.isWellFormed() && isEmail(address) ? [] : [`config.to[${index}] must be an email address`],
    );
  },
};

/** What is wrong with `config` for a channel of `type`, each message naming its field; empty when it is valid. */
export function configProblems(type: ChannelType, config: Record<string, unknown>): string[] {
  const allowed = SETTINGS[type] as readonly string[];
  const problems = Object.keys(config)
    .filter((key) => !allowed.includes(key))
    .map((key) => `config.${key} is not a setting of ${type} channels (they have: ${allowed.join(', ')})`);
  if (config[REQUIRED[type]] === undefined) problems.push(`config.${REQUIRED[type]} is required for ${type} channels`);
  for (const key of allowed) {
    if (config[key] === undefined) continue;
    const problem = CHECKS[key as keyof ChannelConfig](config[key]);
    if (problem) problems.push(...[problem].flat());
  }
  return problems;
}

/** The configuration as answers show it and the database keeps it in clear: secrets masked, recipients as they are. */
export function publicConfig(type: ChannelType, config: ChannelConfig): Record<string, unknown> {
  if (type === 'email') return { to: config.to };
  return {
    url: maskUrl(config.url!),
    ...(config.secret !== undefined && { secret: MASK }),
    ...(config.token !== undefined && { token: MASK }),
  };
}

/** The settings stored encrypted. */
export function secretPart(config: ChannelConfig): Partial<ChannelConfig> {
  return Object.fromEntries(SECRET_SETTINGS.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}
