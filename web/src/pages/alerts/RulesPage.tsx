import { useState } from 'react';
import { api } from '../../api';
import { useCan } from '../../RequireSession';
import { AlertsNav } from './AlertsNav';
import { RuleForm } from './RuleForm';
import { describeCondition, type Rule, type RuleInput } from './rule-types';
import type { Channel, HostSummary } from './types';
import { messageOf, useLoad } from './use-load';
import { RowActions } from './form-parts';
import './alerts.css';

/** Admins create, edit and delete rules; everyone else reads them. */
export default function RulesPage() {
  const canEdit = useCan('admin');
  const rules = useLoad<Rule[]>('/api/alert-rules');
  const { data: hosts = [] } = useLoad<HostSummary[]>('/api/hosts');
  const { data: channels = [] } = useLoad<Channel[]>('/api/notification-channels');
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [error, setError] = useState<string>();

  const save = async (input: RuleInput) => {
    if (editing === 'new') await api('POST', '/api/alert-rules', { ...input, repeatEvery: input.repeatEvery ?? undefined });
    else if (editing) await api('PATCH', `/api/alert-rules/${editing.id}`, input);
    setEditing(null);
    rules.reload();
  };

  const remove = async (rule: Rule) => {
    if (!window.confirm(`Delete the rule ${rule.name}?`)) return;
    try {
      await api('DELETE', `/api/alert-rules/${rule.id}`);
      setError(undefined);
      rules.reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const channelNames = (ids: string[]) => ids.map((id) => channels.find((c) => c.id === id)?.name ?? id).join(', ') || '—';
  return (
    <section>
      <h1>Alert rules</h1>
      <AlertsNav />
      {canEdit && editing === null && (
        <button type="button" onClick={() => setEditing('new')}>
          New rule
        </button>
      )}
      {editing !== null && (
        <RuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? undefined : editing} hosts={hosts} channels={channels} onSubmit={save} onCancel={() => setEditing(null)} />
      )}
      {(rules.error || error) && (
        <p className="error" role="alert">
          {rules.error?.message ?? error}
        </p>
      )}
      {rules.data && rules.data.length === 0 && <p className="muted">No rules yet.</p>}
      {rules.data && rules.data.length > 0 && (
        <div className="table-scroll panel">
          <table aria-label="Alert rules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Enabled</th>
                <th scope="col">Severity</th>
                <th scope="col">Condition</th>
                <th scope="col">Channels</th>
                <th scope="col">Repeat</th>
                {canEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => (
                <tr key={rule.id}>
                  <td>{rule.name}</td>
                  <td>{rule.enabled ? 'yes' : 'no'}</td>
                  <td className={`severity-${rule.severity}`}>{rule.severity}</td>
                  <td>{describeCondition(rule.condition)}</td>
                  <td>{channelNames(rule.channelIds)}</td>
                  <td>{rule.repeatEvery ?? '—'}</td>
                  {canEdit && (
                    <RowActions name={rule.name} onEdit={() => setEditing(rule)} onDelete={() => void remove(rule)} />
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
