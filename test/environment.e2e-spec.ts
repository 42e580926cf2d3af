// The service's environment as assembled: importing the app declares every folder's RETENTION_<KIND>.
import '../src/app.module.js';
import { ConfigurationError, validateEnvironment } from '../src/config/environment.js';

describe('validateEnvironment', () => {
  it('starts with no variables at all, using the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      SIGNUP_ENABLED: 'first-run',
      RETENTION_METRICS: '24h',
      RETENTION_ROLLUPS: '30d',
      RETENTION_ROLLUPS_HOURLY: '400d',
      RETENTION_ROLLUPS_DAILY: '1825d',
      BUFFER_MAX_ROWS: 5000,
      BUFFER_FLUSH_MS: 1000,
      BUFFER_LIMIT_ROWS: 200_000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('reads the rollup tiers\' retentions in milliseconds', () => {
    const env = validateEnvironment({ RETENTION_ROLLUPS_HOURLY: '90d', RETENTION_ROLLUPS_DAILY: '730d' });
    expect(env.retention).toMatchObject({ rollupsHourly: { duration: '90d', ms: 90 * 86_400_000 }, rollupsDaily: { duration: '730d', ms: 730 * 86_400_000 } });
  });

  it('converts numbers and booleans', () => {
    const env = validateEnvironment({ PORT: '8080', SIGNUP_ENABLED: 'false', BUFFER_MAX_ROWS: '100' });
    expect(env.PORT).toBe(8080);
    expect(env.SIGNUP_ENABLED).toBe(false);
    expect(env.BUFFER_MAX_ROWS).toBe(100);
  });

  it.each([
    ['first-run', 'first-run'],
    ['true', true],
    ['1', true],
    ['false', false],
    ['no', false],
  ])('reads SIGNUP_ENABLED=%s as %p', (value, mode) => {
    expect(validateEnvironment({ SIGNUP_ENABLED: value }).SIGNUP_ENABLED).toBe(mode);
  });

  it('reads the HTTP edge settings', () => {
    expect(validateEnvironment({})).toMatchObject({ HTTP_HEADERS_TIMEOUT: '10s', HTTP_REQUEST_TIMEOUT: '30s', HTTP_KEEP_ALIVE_TIMEOUT: '5s', LOGIN_THROTTLE_ADDRESS_LIMIT: 30 });
    const env = validateEnvironment({ TRUST_PROXY: '10.0.0.0/8, loopback', METRICS_TOKEN: 'x'.repeat(16), CORS_ORIGINS: '*', LOG_FORMAT: 'json' });
    expect(env).toMatchObject({ TRUST_PROXY: '10.0.0.0/8, loopback', CORS_ORIGINS: '*', LOG_FORMAT: 'json' });
    for (const hops of ['true', '2']) expect(validateEnvironment({ TRUST_PROXY: hops }).TRUST_PROXY).toBe(hops);
  });

  it('reads Redis settings: unset by default, a key prefix of printable characters', () => {
    expect(validateEnvironment({})).toMatchObject({ REDIS_URL: undefined, REDIS_KEY_PREFIX: 'dockpulse:' });
    expect(validateEnvironment({ REDIS_URL: 'redis://cache:6379/2', REDIS_KEY_PREFIX: 'prod:{a}:' })).toMatchObject({ REDIS_URL: 'redis://cache:6379/2', REDIS_KEY_PREFIX: 'prod:{a}:' });
    expect(() => validateEnvironment({ REDIS_KEY_PREFIX: 'has space' })).toThrow(/REDIS_KEY_PREFIX must be 1 to 64 printable characters/);
    expect(() => validateEnvironment({ REDIS_KEY_PREFIX: 'x'.repeat(65) })).toThrow(/REDIS_KEY_PREFIX/);
    expect(() => validateEnvironment({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('refuses a header timeout longer than the request timeout', () => {
    expect(() => validateEnvironment({ HTTP_HEADERS_TIMEOUT: '1m', HTTP_REQUEST_TIMEOUT: '30s' })).toThrow(/HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT/);
  });

  it('treats empty variables as unset and ignores unrelated ones', () => {
    expect(validateEnvironment({ PORT: '', PATH: '/bin' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer/],
    ['PORT', '70000', /PORT must not be greater than 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgresql:\/\/ connection string/],
    ['RETENTION_LOGS', '3 weeks', /RETENTION_LOGS must be a duration such as 90m, 24h or 30d/],
    ['RETENTION_ROLLUPS_HOURLY', '1y', /RETENTION_ROLLUPS_HOURLY must be a duration such as 90m, 24h or 30d/],
    ['RETENTION_ROLLUPS_DAILY', '-5d', /RETENTION_ROLLUPS_DAILY must be a duration such as 90m, 24h or 30d/],
    ['SIGNUP_ENABLED', 'maybe', /SIGNUP_ENABLED must be first-run, true or false/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters/],
    ['RETENTION_CRON', 'every now and then', /RETENTION_CRON must be a cron expression/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list/],
    ['TRUST_PROXY', 'my-proxy', /TRUST_PROXY must be true, false, a number of proxy hops/],
    ['METRICS_TOKEN', 'short', /METRICS_TOKEN must be at least 16 characters/],
    ['CORS_ORIGINS', 'https://a.example/path', /CORS_ORIGINS must be a comma-separated list of origins/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT must be pretty or json/],
    ['HTTP_HEADERS_TIMEOUT', 'soon', /HTTP_HEADERS_TIMEOUT must be a duration/],
    ['SMTP_URL', 'http://mail.example', /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['SMTP_FROM', 'not-an-address', /SMTP_FROM must be an email address/],
    ['NOTIFY_ALLOW_PRIVATE', 'maybe', /NOTIFY_ALLOW_PRIVATE must be true or false/],
    ['NOTIFY_SECRET_KEY', 'short', /NOTIFY_SECRET_KEY must be at least 32 characters/],
    ['BUFFER_FLUSH_CONCURRENCY', '0', /BUFFER_FLUSH_CONCURRENCY must be an integer from 1 to 16/],
    ['BUFFER_FLUSH_CONCURRENCY', '17', /BUFFER_FLUSH_CONCURRENCY must be an integer from 1 to 16/],
    ['BUFFER_FLUSH_CONCURRENCY', 'two', /BUFFER_FLUSH_CONCURRENCY must be an integer from 1 to 16/],
  ])('rejects %s=%p naming the variable and what is expected', (key, value, message) => {
    expect(() => validateEnvironment({ [key]: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ [key]: value })).toThrow(message);
  });

  it('reads the notification variables, and wants SMTP_FROM with SMTP_URL', () => {
    expect(validateEnvironment({})).toMatchObject({ NOTIFY_ALLOW_PRIVATE: false });
    expect(validateEnvironment({ SMTP_URL: 'smtps://u:p@mail.example.com', SMTP_FROM: 'alerts@example.com', NOTIFY_ALLOW_PRIVATE: 'true' })).toMatchObject({
      SMTP_URL: 'smtps://u:p@mail.example.com',
      SMTP_FROM: 'alerts@example.com',
      NOTIFY_ALLOW_PRIVATE: true,
    });
    expect(() => validateEnvironment({ SMTP_URL: 'smtp://mail.example.com' })).toThrow(/SMTP_FROM must be set when SMTP_URL is/);
  });
});
