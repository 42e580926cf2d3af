import { jest } from '@jest/globals';
import { frameText, type LiveFrame } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { publishByContainer } from './publish-by-container.js';

const topicOf = (id: string) => `container:${id}:metrics`;
const rows = [
  { container_id: 'a', n: 1 },
  { container_id: 'b', n: 2 },
  { container_id: 'a', n: 3 },
];

describe('publishByContainer', () => {
  it('publishes one frame per watched container, its items in order, as JSON text', () => {
    const bus = new InProcessEventBus();
    const frames: Array<[string, LiveFrame]> = [];
    bus.subscribe(topicOf('a'), (topic, frame) => frames.push([topic, frame]));
    const written: number[] = [];
    publishByContainer(bus, 'metrics', topicOf, rows, (row) => (written.push(row.n), JSON.stringify({ n: row.n })));
    expect(frames).toEqual([[topicOf('a'), { type: 'metrics', json: '[{"n":1},{"n":3}]' }]]);
    expect(written).toEqual([1, 3]); // nobody watches b: its row is never written
    expect(JSON.parse(frameText(frames[0][1], topicOf('a')))).toEqual({ type: 'metrics', topic: topicOf('a'), data: [{ n: 1 }, { n: 3 }] });
  });

  it('builds nothing when nobody watches', () => {
    const itemJson = jest.fn(() => '{}');
    publishByContainer(new InProcessEventBus(), 'metrics', topicOf, rows, itemJson);
    expect(itemJson).not.toHaveBeenCalled();
  });
});

describe('frameText', () => {
  it('writes a frame given as a value or as text alike, escaping the type and the topic', () => {
    const asValue = frameText({ type: 'logs', data: [{ line: 'say "hi"\n' }] }, 'container:"x"');
    const asText = frameText({ type: 'logs', json: JSON.stringify([{ line: 'say "hi"\n' }]) }, 'container:"x"');
    expect(asText).toBe(asValue);
    expect(JSON.parse(asValue)).toEqual({ type: 'logs', topic: 'container:"x"', data: [{ line: 'say "hi"\n' }] });
    expect(JSON.parse(frameText({ type: 'host_metrics', data: 1 }))).toEqual({ type: 'host_metrics', data: 1 });
  });
});
