import { commandsTopic } from '../commands/command-events.js';
import '../host-metrics/host-metrics.kind.js';
import '../hosts/host-topic.js';
import '../logs/logs.kind.js';
import '../metrics/metrics.kind.js';
import { parseTopic } from './live-topics.js';

const id = '0b9f3c1e-8f0a-4c53-9b4e-2d1f6a7c8e90';

describe('parseTopic', () => {
  it.each([
    [`host:${id}`, { topic: `host:${id}`, busTopic: `host:${id}`, resource: { kind: 'host', id } }],
    [`host:${id}:metrics`, { topic: `host:${id}:metrics`, busTopic: `host:${id}:metrics`, resource: { kind: 'host', id } }],
    [`container:${id}:metrics`, { topic: `container:${id}:metrics`, busTopic: `container:${id}:metrics`, resource: { kind: 'container', id } }],
    [`container:${id}:logs`, { topic: `container:${id}:logs`, busTopic: `container:${id}:logs`, resource: { kind: 'container', id } }],
  ])('understands %s', (text, expected) => {
    expect(parseTopic(text, 'org')).toEqual(expected);
  });

  it('maps `commands` to the organization`s bus topic', () => {
    expect(parseTopic('commands', 'org-1')).toEqual({ topic: 'commands', busTopic: commandsTopic('org-1') });
  });

  it('lower-cases ids, so the bus topic matches what publishers use', () => {
    expect(parseTopic(`HOST:${id.toUpperCase()}`, 'org')?.topic).toBe(`host:${id}`);
  });

  it.each(['', 'host:', 'host:abc', `host:${id}:logs`, `container:${id}`, `container:${id}:cpu`, `commands:${id}`, `x${id}`, `host:${id} `])(
    'rejects %p',
    (text) => {
      expect(parseTopic(text, 'org')).toBeUndefined();
    },
  );
});
