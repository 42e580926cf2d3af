import { MAX_TOPICS, parseClientFrame } from './live.protocol.js';

describe('parseClientFrame', () => {
  it('reads subscribe and unsubscribe, dropping repeated topics', () => {
    expect(parseClientFrame('{"type":"subscribe","topics":["commands","commands","host:x"]}')).toEqual({ type: 'subscribe', topics: ['commands', 'host:x'] });
    expect(parseClientFrame('{"type":"unsubscribe","topics":[]}')).toEqual({ type: 'unsubscribe', topics: [] });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[1]', /JSON object/],
    ['null', /JSON object/],
    ['{"topics":[]}', /Unknown frame type undefined/],
    ['{"type":"dance","topics":[]}', /Unknown frame type "dance"/],
    ['{"type":"subscribe"}', /topics must be an array of strings/],
    ['{"type":"subscribe","topics":"commands"}', /topics must be an array of strings/],
    ['{"type":"subscribe","topics":[1]}', /topics must be an array of strings/],
  ])('explains what is wrong with %s', (text, message) => {
    const parsed = parseClientFrame(text);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it(`refuses more than ${MAX_TOPICS} topics in one frame`, () => {
    const topics = Array.from({ length: MAX_TOPICS + 1 }, (_, i) => `t${i}`);
    expect(parseClientFrame(JSON.stringify({ type: 'subscribe', topics }))).toEqual({ error: `A frame names at most ${MAX_TOPICS} topics` });
  });
});
