import { ConfigurationError, validateEnvironment } from './environment.js';

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
      BUFFER_MAX_ROWS: 5000,
      BUFFER_FLUSH_MS: 1000,
      BUFFER_LIMIT_ROWS: 200_000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
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

  it('treats empty variables as unset and ignores unrelated ones', () => {
    expect(validateEnvironment({ PORT: '', PATH: '/bin' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer/],
    ['PORT', '70000', /PORT must not be greater than 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgresql:\/\/ connection string/],
    ['RETENTION_LOGS', '3 weeks', /RETENTION_LOGS must be a duration such as 90m, 24h or 30d/],
    ['SIGNUP_ENABLED', 'maybe', /SIGNUP_ENABLED must be first-run, true or false/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters/],
    ['RETENTION_CRON', 'every now and then', /RETENTION_CRON must be a cron expression/],
  ])('rejects %s=%p naming the variable and what is expected', (key, value, message) => {
    expect(() => validateEnvironment({ [key]: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ [key]: value })).toThrow(message);
  });
});
