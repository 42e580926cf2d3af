import { globToRegExp } from './glob.js';

describe('globToRegExp: container name globs of the CLI', () => {
  it('matches the whole name, * for any run and ? for one character', () => {
    expect(globToRegExp('*-api-*').test('shop-api-1')).toBe(true);
    expect(globToRegExp('*-api-*').test('shop-api')).toBe(false);
    expect(globToRegExp('shop-web-?').test('shop-web-2')).toBe(true);
    expect(globToRegExp('shop-web-?').test('shop-web-12')).toBe(false);
    expect(globToRegExp('web').test('shop-web-1')).toBe(false);
  });

  it('takes every other character literally', () => {
    expect(globToRegExp('sim-01/a.b+(c)').test('sim-01/a.b+(c)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('[ab]').test('a')).toBe(false);
  });
});
