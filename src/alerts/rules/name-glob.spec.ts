import { compileGlob, isNameGlob } from './name-glob.js';

const matches = (pattern: string, name: string) => compileGlob(pattern).test(name);

describe('compileGlob', () => {
  it('matches whole names only, case-sensitively', () => {
    expect(matches('api', 'api')).toBe(true);
    expect(matches('api', 'api-1')).toBe(false);
    expect(matches('api', 'my-api')).toBe(false);
    expect(matches('api', 'API')).toBe(false);
  });

  it('takes `*` as any run of name characters, including none, and `?` as exactly one', () => {
    expect(matches('api-*', 'api-')).toBe(true);
    expect(matches('api-*', 'api-worker.1')).toBe(true);
    expect(matches('api-*', 'web-api-1')).toBe(false);
    expect(matches('*-db', 'orders-db')).toBe(true);
    expect(matches('*', 'anything_at.all-1')).toBe(true);
    expect(matches('web-?', 'web-1')).toBe(true);
    expect(matches('web-?', 'web-12')).toBe(false);
    expect(matches('web-?', 'web-')).toBe(false);
    expect(matches('a*b*c', 'abc')).toBe(true);
    expect(matches('a*b*c', 'axxbyyc')).toBe(true);
    expect(matches('a*b*c', 'axxcyyb')).toBe(false);
    expect(matches('*a?c*', 'zzabczz')).toBe(true);
    expect(matches('a**b', 'axyb')).toBe(true);
  });

  it('finds a later segment when its first occurrence leaves the last one no room', () => {
    expect(matches('*ab*b', 'xabab')).toBe(true);
    expect(matches('*ab*ab', 'abab')).toBe(true);
    expect(matches('*ab*ab', 'aba')).toBe(false);
    expect(matches('x*ab*ab*y', 'xababy')).toBe(true);
  });

  it('takes `.` and `-` literally', () => {
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('a-c', 'abc')).toBe(false);
  });

  it('accepts the leading slash Docker puts before names', () => {
    expect(matches('api-*', '/api-1')).toBe(true);
    expect(matches('api', '/api')).toBe(true);
    expect(matches('*', '/x')).toBe(true);
    expect(matches('api', '//api')).toBe(false);
  });

  it('wildcards never match characters outside Docker names', () => {
    expect(matches('*', 'a b')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
    expect(matches('a*', 'a\nb')).toBe(false);
  });

  it('stays fast on patterns that make a naive translation backtrack', () => {
    const started = performance.now();
    expect(matches('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200))).toBe(false);
    expect(matches('?*?*?*?*?*?*?*?*?*?*?*?*!'.replace('!', 'b'), 'a'.repeat(200))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses what is not a glob', () => {
    for (const bad of ['', 'a b', 'api/*', '[ab]', 'x'.repeat(201), 'é']) {
      expect(isNameGlob(bad)).toBe(false);
      expect(() => compileGlob(bad)).toThrow('Not a container-name glob');
    }
    expect(isNameGlob('api-*.v?_2')).toBe(true);
  });
});
