import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { WebSocket } from 'ws';
import { AccessRepository } from '../access/access.repository.js';
import type { UserPrincipal } from '../common/principal.js';
import { EventBus } from '../events/event-bus.js';
import { InProcessEventBus } from '../events/in-process-event-bus.js';
import { LiveConnection } from './live-connection.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import '../commands/command-events.js';
import '../host-metrics/host-metrics.kind.js';
import '../hosts/host-topic.js';
import '../logs/logs.kind.js';
import '../metrics/metrics.kind.js';
import { MAX_TOPICS } from './live.protocol.js';

const principal: UserPrincipal = { kind: 'user', userId: 'u', organizationId: 'org', role: 'viewer' };
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('LiveSubscriptions', () => {
  const repository = {
    ownedHosts: jest.fn<AccessRepository['ownedHosts']>(),
    ownedContainers: jest.fn<AccessRepository['ownedContainers']>(),
  };
  let subscriptions: LiveSubscriptions;
  let bus: EventBus;
  let sent: any[];
  let connection: LiveConnection;

  beforeEach(async () => {
    jest.resetAllMocks();
    // Every id ending in an even number belongs to the organization.
    const owned = async (_: string, ids: Iterable<string>) => new Set([...ids].filter((id) => Number(id.slice(-1)) % 2 === 0));
    repository.ownedHosts.mockImplementation(owned);
    repository.ownedContainers.mockImplementation(owned);
    const moduleRef = await Test.createTestingModule({
      providers: [LiveSubscriptions, LiveHub, { provide: EventBus, useClass: InProcessEventBus }, { provide: AccessRepository, useValue: repository }],
    }).compile();
    subscriptions = moduleRef.get(LiveSubscriptions);
    bus = moduleRef.get(EventBus);
    sent = [];
    const socket = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (text: string) => sent.push(JSON.parse(text)) };
    connection = new LiveConnection(socket as unknown as WebSocket, principal, 1024);
  });

  it('grants owned topics and answers forbidden_topic for the rest, then `subscribed`', async () => {
    const topics = [`host:${uuid(2)}`, `host:${uuid(1)}:metrics`, `container:${uuid(4)}:logs`, `container:${uuid(3)}:metrics`, 'commands', 'nonsense'];
    await subscriptions.subscribe(connection, topics);
    expect(sent).toEqual([
      { type: 'error', code: 'forbidden_topic', topic: topics[1] },
      { type: 'error', code: 'forbidden_topic', topic: topics[3] },
      { type: 'error', code: 'forbidden_topic', topic: 'nonsense' },
      { type: 'subscribed', topics: [topics[0], topics[2], 'commands'] },
    ]);
    expect(bus.hasSubscribers(`host:${uuid(2)}`)).toBe(true);
    expect(bus.hasSubscribers('commands:org')).toBe(true);
    expect(bus.hasSubscribers(`host:${uuid(1)}:metrics`)).toBe(false);
    expect(repository.ownedHosts).toHaveBeenCalledWith('org', [uuid(2), uuid(1)]);
  });

  it('checks each host or container once per connection', async () => {
    await subscriptions.subscribe(connection, [`host:${uuid(2)}`, `host:${uuid(2)}:metrics`, `host:${uuid(1)}`]);
    await subscriptions.subscribe(connection, [`host:${uuid(2)}:metrics`, `host:${uuid(1)}:metrics`]);
    expect(repository.ownedHosts).toHaveBeenCalledTimes(2);
    expect(repository.ownedHosts).toHaveBeenLastCalledWith('org', []);
    expect(sent.at(-1)).toEqual({ type: 'subscribed', topics: [`host:${uuid(2)}:metrics`] });
  });

  it(`holds at most ${MAX_TOPICS} topics per connection`, async () => {
    const many = Array.from({ length: MAX_TOPICS / 2 + 1 }, (_, i) => uuid(i * 2));
    await subscriptions.subscribe(connection, many.map((id) => `container:${id}:metrics`));
    sent = [];
    await subscriptions.subscribe(connection, many.map((id) => `container:${id}:logs`));
    expect(connection.topics.size).toBe(MAX_TOPICS);
    expect(sent.filter((f) => f.code === 'too_many_topics')).toHaveLength(2);
    expect(sent.at(-1).topics).toHaveLength(MAX_TOPICS - (MAX_TOPICS / 2 + 1));
  });

  it('joins nothing for a connection that closed while its topics were being checked', async () => {
    const pending = subscriptions.subscribe(connection, [`host:${uuid(2)}`]);
    connection.closed = true;
    await pending;
    expect(bus.hasSubscribers(`host:${uuid(2)}`)).toBe(false);
    expect(sent).toEqual([]);
  });

  it('unsubscribes and releases the bus topic', async () => {
    await subscriptions.subscribe(connection, ['commands']);
    subscriptions.unsubscribe(connection, ['commands', 'never-subscribed']);
    expect(sent.at(-1)).toEqual({ type: 'unsubscribed', topics: ['commands', 'never-subscribed'] });
    expect(bus.hasSubscribers('commands:org')).toBe(false);
  });
});
