import { useState, type FormEvent } from 'react';
import { ConditionFields } from './ConditionFields';
import { defaultCondition, type Rule, type RuleInput } from './rule-types';
import type { Channel, HostSummary, Severity } from './types';
import { messageOf } from './use-load';
import { FormFooter } from './form-parts';

const EMPTY: RuleInput = {
  name: '',
  enabled: true,
  severity: 'warning',
  scope: {},
  condition: defaultCondition('container_metric'),
  channelIds: [],
  repeatEvery: null,
  notifyResolved: true,
};

function labelsToText(labels: Record<string, string> = {}): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

function textToLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (line.trim() && at > 0) labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return labels;
}

interface Props {
  rule?: Rule;
  hosts: HostSummary[];
  channels: Channel[];
  onSubmit: (input: RuleInput) => Promise<void>;
  onCancel: () => void;
}

/** Create or edit one rule; the API's 400 message (naming the field) is shown beside the form. */
export function RuleForm({ rule, hosts, channels, onSubmit, onCancel }: Props) {
  const [input, setInput] = useState<RuleInput>(rule ?? EMPTY);
  const [names, setNames] = useState((rule?.scope.containerNames ?? []).join(', '));
  const [labels, setLabels] = useState(labelsToText(rule?.scope.labels));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RuleInput>) => setInput((current) => ({ ...current, ...patch }));
  const hostIds = input.scope.hostIds ?? [];
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const containerNames = names.split(',').map((n) => n.trim()).filter(Boolean);
    const scope = { hostIds: hostIds.length ? hostIds : undefined, containerNames: containerNames.length ? containerNames : undefined, labels: labels.trim() ? textToLabels(labels) : undefined };
    try {
      const { name, enabled, severity, condition, channelIds, notifyResolved } = input;
      await onSubmit({ name, enabled, severity, condition, channelIds, notifyResolved, scope, repeatEvery: input.repeatEvery?.trim() || null });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = rule ? `Edit rule ${rule.name}` : 'New rule';
  return (
    <form className="alert-form panel" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h2>{title}</h2>
      <div className="form-row">
        <label>
          Rule name
          <input required value={input.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label>
          Severity
          <select aria-label="Severity" value={input.severity} onChange={(e) => set({ severity: e.target.value as Severity })}>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={input.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Enabled
      </label>
      <ConditionFields value={input.condition} onChange={(condition) => set({ condition })} />
      <fieldset>
        <legend>Scope (empty = everything)</legend>
        {hosts.length > 0 && (
          <fieldset>
            <legend>Hosts</legend>
            {hosts.map((h) => (
              <label key={h.id} className="checkbox">
                <input type="checkbox" checked={hostIds.includes(h.id)} onChange={(e) => set({ scope: { ...input.scope, hostIds: toggle(hostIds, h.id, e.target.checked) } })} />
                {h.name}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Container names (globs, comma-separated)
          <input value={names} placeholder="api-*, worker" onChange={(e) => setNames(e.target.value)} />
        </label>
        <label>
          Labels (one key=value a line)
          <textarea rows={2} value={labels} onChange={(e) => setLabels(e.target.value)} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Channels</legend>
        {channels.length === 0 && <p className="muted">No channels yet.</p>}
        {channels.map((c) => (
          <label key={c.id} className="checkbox">
            <input type="checkbox" checked={input.channelIds.includes(c.id)} onChange={(e) => set({ channelIds: toggle(input.channelIds, c.id, e.target.checked) })} />
            {c.name} ({c.type})
          </label>
        ))}
      </fieldset>
      <div className="form-row">
        <label>
          Repeat every (duration, empty = never)
          <input value={input.repeatEvery ?? ''} placeholder="1h" onChange={(e) => set({ repeatEvery: e.target.value })} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={input.notifyResolved} onChange={(e) => set({ notifyResolved: e.target.checked })} />
          Notify when resolved
        </label>
      </div>
      <FormFooter error={error} busy={busy} submitLabel={rule ? 'Save rule' : 'Create rule'} onCancel={onCancel} />
    </form>
  );
}
