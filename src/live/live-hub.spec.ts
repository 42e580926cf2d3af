import { jest } from '@jest/globals';
import type { WebSocket } from 'ws';
import type { UserPrincipal } from '../common/principal.js';
import { InProcessEventBus } from '../events/in-process-event-bus.js';
import { LiveConnection } from './live-connection.js';
import { LiveHub } from './live-hub.js';
import '../host-metrics/host-metrics.kind.js';
import { parseTopic } from './live-topics.js';

const principal: UserPrincipal = { kind: 'user', userId: 'u', organizationId: 'org', role: 'viewer' };
const hostId = '0b9f3c1e-8f0a-4c53-9b4e-2d1f6a7c8e90';

/** The part of a ws socket a LiveConnection uses. */
function fakeSocket(bufferedAmount = 0) {
  return { OPEN: 1, readyState: 1, bufferedAmount, send: jest.fn(), close: jest.fn(), terminate: jest.fn() };
}

describe('LiveHub', () => {
  let bus: InProcessEventBus;
  let hub: LiveHub;
  const topic = parseTopic(`host:${hostId}:metrics`, 'org')!;
  const connect = (socket = fakeSocket(), limit = 1024) => ({ socket, connection: new LiveConnection(socket as unknown as WebSocket, principal, limit) });

  beforeEach(() => {
    bus = new InProcessEventBus();
    hub = new LiveHub(bus);
  });

  it('serializes a published frame once and sends the same text to every dashboard', () => {
    const a = connect();
    const b = connect();
    const subscribe = jest.spyOn(bus, 'subscribe');
    hub.join(a.connection, topic);
    hub.join(b.connection, topic);
    expect(subscribe).toHaveBeenCalledTimes(1);
    const stringify = jest.spyOn(JSON, 'stringify');
    const data = [{ cpuPercent: 1 }];
    bus.publish(topic.busTopic, { type: 'host_metrics', data });
    expect(stringify.mock.calls.filter(([value]) => value === data)).toHaveLength(1);
    stringify.mockRestore();
    const text = a.socket.send.mock.calls[0][0] as string;
    expect(JSON.parse(text)).toEqual({ type: 'host_metrics', topic: topic.topic, data: [{ cpuPercent: 1 }] });
    expect(b.socket.send.mock.calls[0][0]).toBe(text);
  });

  it('sends data its publisher serialized as it is, never parsing or rewriting it', () => {
    const a = connect();
    hub.join(a.connection, topic);
    const parse = jest.spyOn(JSON, 'parse');
    bus.publish(topic.busTopic, { type: 'metrics', json: '[{"cpuPercent":1.5}]' });
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(a.socket.send.mock.calls[0][0]).toBe(`{"type":"metrics","topic":${JSON.stringify(topic.topic)},"data":[{"cpuPercent":1.5}]}`);
  });

  it('removes the bus listener when the last dashboard of a topic leaves', () => {
    const a = connect();
    const b = connect();
    hub.join(a.connection, topic);
    hub.join(b.connection, topic);
    hub.leave(a.connection, topic.topic);
    expect(bus.hasSubscribers(topic.busTopic)).toBe(true);
    hub.leaveAll(b.connection);
    expect(bus.hasSubscribers(topic.busTopic)).toBe(false);
    expect(hub.topicCount()).toBe(0);
    expect(b.connection.topics.size).toBe(0);
  });

  it('closes a dashboard whose unsent bytes passed the limit instead of buffering more', () => {
    jest.useFakeTimers();
    try {
      const slow = connect(fakeSocket(4096), 1024);
      const fast = connect();
      hub.join(slow.connection, topic);
      hub.join(fast.connection, topic);
      bus.publish(topic.busTopic, { type: 'host_metrics', data: [] });
      bus.publish(topic.busTopic, { type: 'host_metrics', data: [] });
      expect(slow.socket.send).not.toHaveBeenCalled();
      expect(slow.socket.close).toHaveBeenCalledTimes(1);
      expect(slow.socket.close).toHaveBeenCalledWith(4008, 'slow consumer');
      expect(fast.socket.send).toHaveBeenCalledTimes(2);
      // Cut off only once it has read nothing for 5 s: until then the 4008 may still get through.
      jest.advanceTimersByTime(4_500);
      expect(slow.socket.terminate).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1_000);
      expect(slow.socket.terminate).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps a dropped dashboard that is still draining, so it reads its 4008', () => {
    jest.useFakeTimers();
    try {
      const slow = connect(fakeSocket(4096), 1024);
      hub.join(slow.connection, topic);
      bus.publish(topic.busTopic, { type: 'host_metrics', data: [] });
      expect(slow.socket.close).toHaveBeenCalledWith(4008, 'slow consumer');
      for (let i = 0; i < 8; i++) {
        slow.socket.bufferedAmount -= 400;
        jest.advanceTimersByTime(1_000);
      }
      expect(slow.socket.terminate).not.toHaveBeenCalled();
      jest.advanceTimersByTime(5_500);
      expect(slow.socket.terminate).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
