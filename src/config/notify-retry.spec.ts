import { validateEnvironment } from './environment.js';

describe('notification retry settings', () => {
  it('default to 1s, 10m and 24h, in milliseconds', () => {
    expect(validateEnvironment({}).ms).toMatchObject({ NOTIFY_RETRY_BASE: 1_000, NOTIFY_RETRY_MAX: 600_000, NOTIFY_GIVE_UP_AFTER: 86_400_000 });
  });

  it('refuses a malformed duration and a base longer than the cap, naming the variables', () => {
    expect(() => validateEnvironment({ NOTIFY_GIVE_UP_AFTER: 'soon' })).toThrow(/NOTIFY_GIVE_UP_AFTER must be a duration/);
    expect(() => validateEnvironment({ NOTIFY_RETRY_BASE: '5m', NOTIFY_RETRY_MAX: '1m' })).toThrow(/NOTIFY_RETRY_BASE must not be longer than NOTIFY_RETRY_MAX/);
  });
});
