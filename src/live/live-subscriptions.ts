import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import type { LiveConnection } from './live-connection.js';
import { LiveHub } from './live-hub.js';
import { MAX_TOPICS } from './live.protocol.js';
import { parseTopic, type LiveTopic } from './live-topics.js';

/**
 * Subscribe and unsubscribe requests of one dashboard: every topic is checked against the
 * dashboard's organization (an unknown id, another tenant's id and a malformed topic all get the
 * same `forbidden_topic`, so nothing about other tenants can be probed), then joined on the hub.
 */
@Injectable()
export class LiveSubscriptions {
  constructor(
    private readonly hub: LiveHub,
    private readonly access: AccessRepository,
  ) {}

  async subscribe(connection: LiveConnection, requested: string[]): Promise<void> {
    const parsed = requested.map((text) => ({ text, topic: parseTopic(text, connection.organizationId) }));
    const allowed = await this.authorize(connection, parsed.flatMap(({ topic }) => (topic ? [topic] : [])));
    if (connection.closed) return;
    const granted: string[] = [];
    for (const { text, topic } of parsed) {
      if (!topic || !allowed.has(topic.topic)) {
        connection.send({ type: 'error', code: 'forbidden_topic', topic: text });
      } else if (!connection.topics.has(topic.topic) && connection.topics.size >= MAX_TOPICS) {
        connection.send({ type: 'error', code: 'too_many_topics', topic: text, message: `A connection holds at most ${MAX_TOPICS} topics` });
      } else {
        this.hub.join(connection, topic);
        granted.push(topic.topic);
      }
    }
    // Always answered, even when empty: it tells the dashboard that the request is settled.
    connection.send({ type: 'subscribed', topics: granted });
  }

  unsubscribe(connection: LiveConnection, requested: string[]): void {
    const topics = requested.map((text) => parseTopic(text, connection.organizationId)?.topic ?? text);
    for (const topic of topics) this.hub.leave(connection, topic);
    connection.send({ type: 'unsubscribed', topics });
  }

  /** The dashboard topics among `topics` whose host or container belongs to the organization. */
  private async authorize(connection: LiveConnection, topics: LiveTopic[]): Promise<Set<string>> {
    const verdicts = new Map<string, boolean>();
    const unchecked = { host: new Set<string>(), container: new Set<string>() };
    for (const { resource } of topics) {
      if (!resource) continue;
      const cached = connection.authorized.get(`${resource.kind}:${resource.id}`);
      if (cached === undefined) unchecked[resource.kind].add(resource.id);
      else verdicts.set(`${resource.kind}:${resource.id}`, cached);
    }
    const [hosts, containers] = await Promise.all([
      this.access.ownedHosts(connection.organizationId, [...unchecked.host]),
      this.access.ownedContainers(connection.organizationId, [...unchecked.container]),
    ]);
    const record = (key: string, allowed: boolean) => {
      verdicts.set(key, allowed);
      connection.remember(key, allowed);
    };
    for (const id of unchecked.host) record(`host:${id}`, hosts.has(id));
    for (const id of unchecked.container) record(`container:${id}`, containers.has(id));
    const allowed = topics.filter(({ resource }) => !resource || verdicts.get(`${resource.kind}:${resource.id}`) === true);
    return new Set(allowed.map(({ topic }) => topic));
  }
}
