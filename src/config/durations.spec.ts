import { getMetadataStorage } from 'class-validator';
import { DURATION_VARIABLES, Environment, validateEnvironment } from './environment.js';

describe('durations derived once', () => {
  it('lists every @IsDuration() variable, so none is left to be parsed at a call site', () => {
    const storage = getMetadataStorage();
    const decorated = storage
      .getTargetValidationMetadatas(Environment, '', true, false)
      .filter((meta) => meta.constraintCls && storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name === 'isDuration')
      .map((meta) => meta.propertyName);
    expect([...new Set(decorated)].sort()).toEqual([...DURATION_VARIABLES].sort());
  });

  it('gives each in milliseconds, as configured or by default', () => {
    const env = validateEnvironment({ LIVE_TICKET_TTL: '90s', HTTP_REQUEST_TIMEOUT: '2m' });
    expect(env.ms).toMatchObject({ LIVE_TICKET_TTL: 90_000, HTTP_REQUEST_TIMEOUT: 120_000, ACCESS_TOKEN_TTL: 3_600_000, AGENT_TOKEN_TTL: 365 * 86_400_000 });
  });
});
