import { cleanText, truncateUtf8 } from './clean-text.js';

describe('cleanText', () => {
  it('removes NUL characters and lone surrogates', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('plain ✓ 😀')).toBe('plain ✓ 😀');
  });
});

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    expect(truncateUtf8('hello', 16)).toEqual({ text: 'hello', truncated: false });
  });

  it('cuts to the byte limit without splitting a character', () => {
    const { text, truncated } = truncateUtf8('é'.repeat(10), 5);
    expect(truncated).toBe(true);
    expect(text).toBe('éé');
    expect(Buffer.byteLength(truncateUtf8('a'.repeat(20_000), 16_384).text)).toBe(16_384);
  });
});
