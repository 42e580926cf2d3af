import { ConfigurationError, validateEnvironment } from './environment.js';

describe('SHUTDOWN_TIMEOUT', () => {
  it('defaults to 30s', () => {
    expect(validateEnvironment({}).SHUTDOWN_TIMEOUT).toBe('30s');
  });

  it('takes a duration between 1s and 1h', () => {
    expect(validateEnvironment({ SHUTDOWN_TIMEOUT: '1s' }).SHUTDOWN_TIMEOUT).toBe('1s');
    expect(validateEnvironment({ SHUTDOWN_TIMEOUT: '1h' }).SHUTDOWN_TIMEOUT).toBe('1h');
  });

  it.each([
    ['soon', /SHUTDOWN_TIMEOUT must be a duration such as 90m, 24h or 30d/],
    ['500ms', /SHUTDOWN_TIMEOUT must be between 1s and 1h \(got "500ms"\)/],
    ['2h', /SHUTDOWN_TIMEOUT must be between 1s and 1h/],
  ])('refuses %p naming the variable', (value, message) => {
    expect(() => validateEnvironment({ SHUTDOWN_TIMEOUT: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ SHUTDOWN_TIMEOUT: value })).toThrow(message);
  });
});

describe('SHUTDOWN_DRAIN', () => {
  it('is unset by default (no wait) and takes a duration shorter than SHUTDOWN_TIMEOUT', () => {
    expect(validateEnvironment({}).SHUTDOWN_DRAIN).toBeUndefined();
    expect(validateEnvironment({ SHUTDOWN_DRAIN: '3s' }).SHUTDOWN_DRAIN).toBe('3s');
  });

  it.each([
    [{ SHUTDOWN_DRAIN: 'a while' }, /SHUTDOWN_DRAIN must be a duration/],
    [{ SHUTDOWN_DRAIN: '30s' }, /SHUTDOWN_DRAIN must be shorter than SHUTDOWN_TIMEOUT \(got 30s and 30s\)/],
    [{ SHUTDOWN_DRAIN: '10s', SHUTDOWN_TIMEOUT: '5s' }, /SHUTDOWN_DRAIN must be shorter than SHUTDOWN_TIMEOUT/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => validateEnvironment(env)).toThrow(message);
  });
});
