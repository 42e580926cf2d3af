import { liveTopicForms } from '../events/live-topic.js';

/** A dashboard topic understood: what it names (to authorize) and where it is published. */
export interface LiveTopic {
  /** The topic as dashboards write it and as server frames carry it (ids lower-cased). */
  topic: string;
  /** The event bus topic; differs from `topic` only for organization topics (`commands`). */
  busTopic: string;
  /** The host or container that must belong to the dashboard's organization; none for organization topics. */
  resource?: { kind: 'host' | 'container'; id: string };
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const RESOURCE = new RegExp(`^(host|container):(${UUID})(?::([a-z_]+))?$`, 'i');

/** The topic named by `text`, or undefined when it is none of the declared forms (events/live-topic.ts). */
export function parseTopic(text: string, organizationId: string): LiveTopic | undefined {
  const forms = liveTopicForms();
  const organizationTopic = forms.find((form) => form.scope === 'organization' && form.name === text);
  if (organizationTopic) return { topic: text, busTopic: organizationTopic.of(organizationId) };
  const match = RESOURCE.exec(text);
  if (!match) return undefined;
  const kind = match[1].toLowerCase() as 'host' | 'container';
  const name = match[3]?.toLowerCase();
  const form = forms.find((f) => f.scope === kind && f.name === name);
  if (!form) return undefined;
  const id = match[2].toLowerCase();
  const topic = form.of(id);
  return { topic, busTopic: topic, resource: { kind, id } };
}
