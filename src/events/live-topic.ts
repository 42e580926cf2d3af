/**
 * A `/live` topic form, declared by the folder that publishes on it. Host and container topics
 * are `host:<id>[:<name>]` and `container:<id>:<name>`; an organization topic is its bare name
 * (`commands`) for dashboards and `<name>:<organizationId>` on the bus.
 */
export interface LiveTopicForm {
  scope: 'host' | 'container' | 'organization';
  /** The suffix (`metrics`), or the whole name of an organization topic; none for `host:<id>`. */
  name?: string;
  /** The bus topic for one host, container or organization id. */
  of(id: string): string;
}

const FORMS: LiveTopicForm[] = [];

/** Declares a topic form (at import time); declaring the same one again returns it. */
export function defineLiveTopic(scope: LiveTopicForm['scope'], name?: string): LiveTopicForm {
  if (scope === 'organization' && !name) throw new Error('An organization topic needs a name');
  const existing = FORMS.find((form) => form.scope === scope && form.name === name);
  if (existing) return existing;
  const of =
    scope === 'organization' ? (id: string) => `${name}:${id}` : (id: string) => (name ? `${scope}:${id}:${name}` : `${scope}:${id}`);
  const form = { scope, name, of };
  FORMS.push(form);
  return form;
}

export function liveTopicForms(): readonly LiveTopicForm[] {
  return FORMS;
}
