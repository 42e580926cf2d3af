import type { LoadedRule } from '../alert-rule.js';
import { compileRule } from './compiled-rule.js';

const HOST_A = '00000000-0000-4000-8000-00000000000a';
const HOST_B = '00000000-0000-4000-8000-00000000000b';

const rule = (scope: LoadedRule['scope'], condition: LoadedRule['condition'] = { type: 'container_event', events: ['died'] }): LoadedRule => ({
  id: 'r',
  organizationId: 'o',
  name: 'rule',
  enabled: true,
  severity: 'warning',
  scope,
  condition,
  channelIds: [],
  repeatEvery: null,
  repeatEveryMs: null,
  windowMs: 'for' in condition ? 60_000 : null,
  notifyResolved: true,
  createdAt: '',
  updatedAt: '',
});

describe('compileRule', () => {
  it('matches every container of the organization with an empty scope', () => {
    expect(compileRule(rule({})).matches({ hostId: HOST_A, name: '/anything', labels: null })).toBe(true);
  });

  it('narrows by host, by any of the name globs, and by every label', () => {
    const compiled = compileRule(rule({ hostIds: [HOST_A.toUpperCase()], containerNames: ['api-*', 'db-?'], labels: { tier: 'web', env: 'prod' } }));
    const labels = { tier: 'web', env: 'prod', extra: 'x' };
    expect(compiled.matches({ hostId: HOST_A, name: '/api-7', labels })).toBe(true);
    expect(compiled.matches({ hostId: HOST_A, name: 'db-1', labels })).toBe(true);
    expect(compiled.matches({ hostId: HOST_B, name: 'api-7', labels })).toBe(false);
    expect(compiled.matches({ hostId: HOST_A, name: 'db-10', labels })).toBe(false);
    expect(compiled.matches({ hostId: HOST_A, name: 'api-7', labels: { tier: 'web' } })).toBe(false);
    expect(compiled.matches({ hostId: HOST_A, name: null, labels })).toBe(false);
  });

  it('applies only hostIds to host conditions', () => {
    const compiled = compileRule(rule({ hostIds: [HOST_A], containerNames: ['api-*'] }, { type: 'host_offline', for: '1m' }));
    expect(compiled.forContainers).toBe(false);
    expect(compiled.spanMs).toBe(60_000);
    expect(compiled.matches({ hostId: HOST_A })).toBe(true);
    expect(compiled.matches({ hostId: HOST_B })).toBe(false);
  });

  it('lower-cases the needle of a log match once', () => {
    expect(compileRule(rule({}, { type: 'log_match', q: 'TimeOut', count: 1, within: '1m' })).needle).toBe('timeout');
  });
});
