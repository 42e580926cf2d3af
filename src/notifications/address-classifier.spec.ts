import { forbiddenHostReason, isForbiddenAddress } from './address-classifier.js';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '169.254.169.254',
    '169.254.0.1',
    '::1',
    '::',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::abcd',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:0.0.0.0',
    '::127.0.0.1',
    '64:ff9b::127.0.0.1',
  ])('refuses %s', (address) => expect(isForbiddenAddress(address)).toBe(true));

  it.each(['8.8.8.8', '10.0.0.1', '192.168.1.1', '169.253.0.1', '128.0.0.1', '2001:db8::1', 'fec0::1', '::ffff:8.8.8.8', '::2:0:1', 'example.com', ''])(
    'allows %s',
    (address) => expect(isForbiddenAddress(address)).toBe(false),
  );
});

describe('forbiddenHostReason', () => {
  it.each(['http://localhost/x', 'http://LOCALHOST./', 'http://api.localhost/', 'http://127.0.0.1:8080/', 'http://[::1]/', 'http://0x7f000001/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/'])(
    'refuses %s',
    async (url) => expect(await forbiddenHostReason(new URL(url))).toEqual(expect.any(String)),
  );

  it('allows a public address literal', async () => {
    expect(await forbiddenHostReason(new URL('https://93.184.216.34/hook'))).toBeUndefined();
  });
});
