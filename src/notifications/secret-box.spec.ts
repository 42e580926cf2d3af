import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox('a-key-of-at-least-thirty-two-characters!');
  const plaintext = JSON.stringify({ url: 'https://hooks.slack.com/services/T000/B000/XXXX', secret: 'sh-é' });

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const a = box.seal(plaintext, 'channel-1');
    const b = box.seal(plaintext, 'channel-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hooks.slack.com');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(box.open(a, 'channel-1')).toBe(plaintext);
    expect(box.open(b, 'channel-1')).toBe(plaintext);
  });

  it('detects tampering with any byte', () => {
    const sealed = box.seal(plaintext, 'channel-1');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const index of [0, 13, raw.length - 1]) {
      const altered = Buffer.from(raw);
      altered[index] ^= 1;
      expect(() => box.open(`v1.${altered.toString('base64url')}`, 'channel-1')).toThrow();
    }
    expect(() => box.open('v1.', 'channel-1')).toThrow();
    expect(() => box.open('v2.abc', 'channel-1')).toThrow();
  });

  it('refuses another context or another key', () => {
    const sealed = box.seal(plaintext, 'channel-1');
    expect(() => box.open(sealed, 'channel-2')).toThrow();
    expect(() => new SecretBox('another-key-of-at-least-thirty-two-chars').open(sealed, 'channel-1')).toThrow();
  });
});
