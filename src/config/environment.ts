import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { CronTime } from 'cron';
import { parseDuration } from './duration.js';
import { IsDuration } from './is-duration.decorator.js';
import { IsOriginList } from './is-origin-list.decorator.js';
import { IsTrustProxy } from './is-trust-proxy.decorator.js';
import { retentionSettings, type RetentionValue } from './retention-setting.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return ['true', '1', 'yes'].includes(v) ? true : ['false', '0', 'no'].includes(v) ? false : value;
};

const FLUSH_CONCURRENCY = 'BUFFER_FLUSH_CONCURRENCY must be an integer from 1 to 16';

export type SignupMode = 'first-run' | boolean;

/** The variables that are durations; validation derives each into milliseconds once (`ms`; 0 for an optional one unset). */
export const DURATION_VARIABLES = [
  'ACCESS_TOKEN_TTL',
  'AGENT_TOKEN_TTL',
  'ENROLLMENT_TOKEN_TTL',
  'LOGIN_THROTTLE_WINDOW',
  'LIVE_TICKET_TTL',
  'COMMAND_TIMEOUT',
  'SHUTDOWN_TIMEOUT',
  'SHUTDOWN_DRAIN',
  'HTTP_HEADERS_TIMEOUT',
  'HTTP_REQUEST_TIMEOUT',
  'HTTP_KEEP_ALIVE_TIMEOUT',
  'NOTIFY_RETRY_BASE',
  'NOTIFY_RETRY_MAX',
  'NOTIFY_GIVE_UP_AFTER',
] as const;
export type DurationVariable = (typeof DURATION_VARIABLES)[number];

/**
 * Every environment variable the service reads, with its default. CONTRACT.md fixes the names of
 * the first group; the rest are DockPulse's own additions (documented in the README).
 */
export class Environment {
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString() @MinLength(1)
  HOST = '0.0.0.0';

  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// connection string' })
  DATABASE_URL?: string;

  @IsString() @MinLength(1)
  DATA_DIR = './data';

  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of every Redis key and channel DockPulse uses, so several deployments (or test runs) can share one Redis. */
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1 to 64 printable characters without spaces' })
  REDIS_KEY_PREFIX = 'dockpulse:';

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** `first-run`: open only while no organization exists; `true`: always open; `false`: closed. */
  @Transform(({ value }) => (value === 'first-run' ? value : toBool({ value })))
  @IsIn(['first-run', true, false], { message: 'SIGNUP_ENABLED must be first-run, true or false' })
  SIGNUP_ENABLED: SignupMode = 'first-run';

  /** Every `RETENTION_<KIND>` a folder declared (config/retention-setting.ts), as configured. */
  [variable: `RETENTION_${string}`]: string;

  /** Derived at validation, not a variable: each declared retention by name, with its milliseconds. */
  retention: Record<string, RetentionValue> = {};

  /** Derived at validation, not a variable: every duration variable in milliseconds. */
  ms = {} as Record<DurationVariable, number>;

  @IsString()
  RETENTION_CRON = '*/5 * * * *';

  @Transform(toInt) @IsInt() @Min(1) @Max(100_000)
  BUFFER_MAX_ROWS = 5000;

  @Transform(toInt) @IsInt() @Min(10) @Max(60_000)
  BUFFER_FLUSH_MS = 1000;

  @Transform(toInt) @IsInt() @Min(1) @Max(100_000_000)
  BUFFER_LIMIT_ROWS = 200_000;

  // DockPulse additions.
  /**
   * A kind with no flush in flight writes what it holds at once (group commit), so a few agents
   * with little in flight are not held to one flush per BUFFER_FLUSH_MS; `false` waits for size or age.
   */
  @Transform(toBool) @IsBoolean({ message: 'BUFFER_FLUSH_IDLE must be true or false' })
  BUFFER_FLUSH_IDLE = true;

  /**
   * Bulk writes in flight per kind. Unset: 2 (one committing while the next is written), or 1 with
   * REDIS_URL, where several instances share one database and concurrent COPYs into the same
   * indexes contend on PostgreSQL's locks (docs/ingest-performance.md, "Several writers").
   */
  @IsOptional() @Transform(toInt) @IsInt({ message: FLUSH_CONCURRENCY }) @Min(1, { message: FLUSH_CONCURRENCY }) @Max(16, { message: FLUSH_CONCURRENCY })
  BUFFER_FLUSH_CONCURRENCY?: number;

  /** Bound on the callers' byte estimates of everything the batching buffer holds: 256 MiB. */
  @Transform(toInt) @IsInt() @Min(1024)
  BUFFER_LIMIT_BYTES = 268_435_456;

  @IsDuration() ACCESS_TOKEN_TTL = '1h';
  @IsDuration() AGENT_TOKEN_TTL = '365d';
  @IsDuration() ENROLLMENT_TOKEN_TTL = '24h';

  /** Login attempts allowed per client address and email within LOGIN_THROTTLE_WINDOW. */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_THROTTLE_LIMIT = 10;

  @IsDuration() LOGIN_THROTTLE_WINDOW = '1m';

  /** How often agent sockets are pinged; a peer that misses one pong is dropped. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  AGENT_HEARTBEAT_MS = 10_000;

  /** Frames per second a host may send (token bucket), 0 for no limit; bursts up to AGENT_RATE_BURST. */
  @Transform(toInt) @IsInt() @Min(0)
  AGENT_RATE_LIMIT = 100;

  @Transform(toInt) @IsInt() @Min(1)
  AGENT_RATE_BURST = 500;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** How long a `/live` ticket stays redeemable (single use). */
  @IsDuration() LIVE_TICKET_TTL = '30s';

  /** How often dashboard sockets are pinged; one that misses a pong is dropped. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  LIVE_HEARTBEAT_MS = 15_000;

  /** Bytes a dashboard socket may have unsent before it is closed as a slow consumer: 1 MiB. */
  @Transform(toInt) @IsInt() @Min(1024)
  LIVE_MAX_BUFFERED_BYTES = 1_048_576;

  /** How long a container action may take before it is marked `timeout` (at most 24h). */
  @IsDuration() COMMAND_TIMEOUT = '30s';

  /** The longest a SIGTERM may take (1s to 1h); what the database has not committed by then is not acknowledged. */
  @IsDuration() SHUTDOWN_TIMEOUT = '30s';

  /**
   * How long a SIGTERM keeps serving with `/api/ready` at 503 before it stops reading from agents,
   * so a load balancer takes the instance out first (unset: no wait). Counted within SHUTDOWN_TIMEOUT.
   */
  @IsOptional() @IsDuration() SHUTDOWN_DRAIN?: string;

  // The HTTP edge: who may call, from where, how fast, and what the logs look like.
  /** Failed logins allowed per client address, whatever the email, within LOGIN_THROTTLE_WINDOW (password spraying). */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_THROTTLE_ADDRESS_LIMIT = 30;

  /** Proxies whose X-Forwarded-For gives the client address (Express `trust proxy`); unset trusts none. */
  @IsOptional() @IsTrustProxy()
  TRUST_PROXY?: string;

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  /** Origins allowed to call the API from a browser, comma-separated; unset: same origin only (no CORS headers). */
  @IsOptional() @IsOriginList()
  CORS_ORIGINS?: string;

  /** `pretty` or `json` (one object a line); unset: pretty on a terminal, json otherwise. */
  @IsOptional() @IsIn(['pretty', 'json'], { message: 'LOG_FORMAT must be pretty or json' })
  LOG_FORMAT?: 'pretty' | 'json';

  /** Longest a client may take to send a request's headers, and the whole request; idle keep-alive connections close after HTTP_KEEP_ALIVE_TIMEOUT. */
  @IsDuration() HTTP_HEADERS_TIMEOUT = '10s';
  @IsDuration() HTTP_REQUEST_TIMEOUT = '30s';
  @IsDuration() HTTP_KEEP_ALIVE_TIMEOUT = '5s';

  // Notification channels (docs/notifications.md).
  /** The SMTP server email channels send through; unset: email channels are refused. */
  @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender address of notification emails; needed with SMTP_URL. */
  @IsOptional() @IsEmail({}, { message: 'SMTP_FROM must be an email address' })
  SMTP_FROM?: string;

  /** Lets channel URLs point to loopback, link-local or unspecified addresses (tests, trusted networks). */
  @Transform(toBool) @IsBoolean({ message: 'NOTIFY_ALLOW_PRIVATE must be true or false' })
  NOTIFY_ALLOW_PRIVATE = false;

  /** Encrypts channel secrets at rest; unset: generated once into DATA_DIR/notify-secret-key. */
  @IsOptional() @IsString() @MinLength(32, { message: 'NOTIFY_SECRET_KEY must be at least 32 characters long' })
  NOTIFY_SECRET_KEY?: string;

  /** Where people reach the dashboard: the links in notifications. Unset: http://localhost:PORT. */
  @IsOptional() @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must be an http:// or https:// URL' })
  PUBLIC_URL?: string;

  /** Retries of a failed notification: exponential from NOTIFY_RETRY_BASE, capped at NOTIFY_RETRY_MAX, full jitter; failed for good NOTIFY_GIVE_UP_AFTER after it was queued. */
  @IsDuration() NOTIFY_RETRY_BASE = '1s';
  @IsDuration() NOTIFY_RETRY_MAX = '10m';
  @IsDuration() NOTIFY_GIVE_UP_AFTER = '24h';
}

/** PUBLIC_URL without a trailing slash, or the default address of this instance. */
export const publicUrl = (env: Pick<Environment, 'PUBLIC_URL' | 'PORT'>) => (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');

/** Thrown at start-up; its message names every bad variable and what is expected. */
export class ConfigurationError extends Error {}

const OPTIONAL_KEYS = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'TRUST_PROXY',
  'METRICS_TOKEN',
  'CORS_ORIGINS',
  'LOG_FORMAT',
  'SMTP_URL',
  'SMTP_FROM',
  'NOTIFY_SECRET_KEY',
  'PUBLIC_URL',
  'SHUTDOWN_DRAIN',
];

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const retentions = retentionSettings();
  const known = new Set([...Object.keys(new Environment()), ...OPTIONAL_KEYS, ...retentions.map((r) => r.variable)]);
  known.delete('retention');
  known.delete('ms');
  // An empty variable counts as unset, so `FOO= npm start` falls back to the default.
  const defined = Object.fromEntries(Object.entries(raw).filter(([key, value]) => known.has(key) && value !== undefined && value !== ''));
  const env = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const problems = validateSync(env, { whitelist: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `${message} (got ${JSON.stringify(error.value)})`),
  );
  for (const { name, variable, default: fallback } of retentions) {
    const duration = typeof defined[variable] === 'string' ? (defined[variable] as string) : fallback;
    const ms = parseDuration(duration);
    if (ms === undefined) problems.push(`${variable} must be a duration such as 90m, 24h or 30d (got ${JSON.stringify(defined[variable])})`);
    env[variable] = duration;
    env.retention[name] = { duration, ms: ms ?? 0 };
  }
  try {
    new CronTime(env.RETENTION_CRON);
  } catch {
    problems.push(`RETENTION_CRON must be a cron expression such as "*/5 * * * *" (got ${JSON.stringify(env.RETENTION_CRON)})`);
  }
  const shutdownMs = parseDuration(env.SHUTDOWN_TIMEOUT);
  if (shutdownMs !== undefined && (shutdownMs < 1_000 || shutdownMs > 3_600_000)) {
    problems.push(`SHUTDOWN_TIMEOUT must be between 1s and 1h (got ${JSON.stringify(env.SHUTDOWN_TIMEOUT)})`);
  }
  if (!problems.length && env.SHUTDOWN_DRAIN && parseDuration(env.SHUTDOWN_DRAIN)! >= parseDuration(env.SHUTDOWN_TIMEOUT)!) {
    problems.push(`SHUTDOWN_DRAIN must be shorter than SHUTDOWN_TIMEOUT (got ${env.SHUTDOWN_DRAIN} and ${env.SHUTDOWN_TIMEOUT})`);
  }
  if (!problems.length && parseDuration(env.HTTP_HEADERS_TIMEOUT)! > parseDuration(env.HTTP_REQUEST_TIMEOUT)!) {
    problems.push(`HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT (got ${env.HTTP_HEADERS_TIMEOUT} and ${env.HTTP_REQUEST_TIMEOUT})`);
  }
  if (!problems.length && parseDuration(env.NOTIFY_RETRY_BASE)! > parseDuration(env.NOTIFY_RETRY_MAX)!) {
    problems.push(`NOTIFY_RETRY_BASE must not be longer than NOTIFY_RETRY_MAX (got ${env.NOTIFY_RETRY_BASE} and ${env.NOTIFY_RETRY_MAX})`);
  }
  if (env.SMTP_URL && !env.SMTP_FROM) problems.push('SMTP_FROM must be set when SMTP_URL is (the sender of notification emails)');
  if (problems.length) {
    throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  // An optional duration left unset (SHUTDOWN_DRAIN) is 0.
  for (const variable of DURATION_VARIABLES) env.ms[variable] = env[variable] === undefined ? 0 : parseDuration(env[variable])!;
  return env;
}
