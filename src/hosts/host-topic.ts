import { defineLiveTopic } from '../events/live-topic.js';

/** `host:<id>`: the host's status and container inventory. */
export const hostTopic = defineLiveTopic('host').of;
