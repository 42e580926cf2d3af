import { commandsTopic, containerLogsTopic, containerMetricsTopic, hostMetricsTopic, hostTopic } from '../events/event-bus.js';

/** A dashboard topic understood: what it names (to authorize) and where it is published. */
export interface LiveTopic {
  /** The topic as dashboards write it and as server frames carry it (ids lower-cased). */
  topic: string;
  /** The event bus topic; differs from `topic` only for `commands`, which is per organization. */
  busTopic: string;
  /** The host or container that must belong to the dashboard's organization; none for `commands`. */
  resource?: { kind: 'host' | 'container'; id: string };
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HOST = new RegExp(`^host:(${UUID})(:metrics)?$`, 'i');
const CONTAINER = new RegExp(`^container:(${UUID}):(metrics|logs)$`, 'i');

/** The topic named by `text`, or undefined when it is not one of CONTRACT.md's forms. */
export function parseTopic(text: string, organizationId: string): LiveTopic | undefined {
  if (text === 'commands') return { topic: text, busTopic: commandsTopic(organizationId) };
  let match = HOST.exec(text);
  if (match) {
    const id = match[1].toLowerCase();
    const topic = match[2] ? hostMetricsTopic(id) : hostTopic(id);
    return { topic, busTopic: topic, resource: { kind: 'host', id } };
  }
  match = CONTAINER.exec(text);
  if (match) {
    const id = match[1].toLowerCase();
    const topic = match[2].toLowerCase() === 'metrics' ? containerMetricsTopic(id) : containerLogsTopic(id);
    return { topic, busTopic: topic, resource: { kind: 'container', id } };
  }
  return undefined;
}
