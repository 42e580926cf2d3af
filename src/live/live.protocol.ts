import { describeType } from '../common/describe-type.js';
import type { LiveFrame } from '../events/event-bus.js';

/** Close code for a dashboard that does not read fast enough (its unsent bytes passed the limit). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** Largest client frame; a subscribe naming MAX_TOPICS long topics fits. Larger ones close with 1009. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
/** Topics one connection may hold at once. */
export const MAX_TOPICS = 500;

export interface LiveClientFrame {
  type: 'subscribe' | 'unsubscribe';
  topics: string[];
}

export type LiveErrorCode = 'invalid_message' | 'forbidden_topic' | 'too_many_topics' | 'too_many_requests' | 'unavailable';

/** Every frame the server sends on `/live`, by type. */
export interface LiveServerFrames {
  subscribed: { topics: string[] };
  unsubscribed: { topics: string[] };
  error: { code: LiveErrorCode; message?: string; topic?: string };
}

export type LiveServerFrame = { [K in keyof LiveServerFrames]: { type: K } & LiveServerFrames[K] }[keyof LiveServerFrames];

/** A published frame as dashboards receive it: `topic` is the dashboard's topic. */
export interface LiveDataFrame {
  type: LiveFrame['type'];
  topic: string;
  data: unknown;
}

/** The client frame in `text`, or the reason it is not one. */
export function parseClientFrame(text: string): LiveClientFrame | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'Frame is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'A frame must be a JSON object' };
  const { type, topics } = body as { type?: unknown; topics?: unknown };
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    return { error: `Unknown frame type ${describeType(type)}; expected subscribe or unsubscribe` };
  }
  if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string')) {
    return { error: 'topics must be an array of strings' };
  }
  if (topics.length > MAX_TOPICS) return { error: `A frame names at most ${MAX_TOPICS} topics` };
  return { type, topics: [...new Set(topics as string[])] };
}
