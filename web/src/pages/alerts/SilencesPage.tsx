import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useCan } from '../../RequireSession';
import { AlertsNav } from './AlertsNav';
import { formatTime, fromLocalInput, toLocalInput } from './format';
import type { Rule } from './rule-types';
import type { HostSummary, Silence } from './types';
import { messageOf, useLoad } from './use-load';
import './alerts.css';

interface Draft {
  hostId: string;
  containerId: string;
  ruleId: string;
  startsAt: string;
  endsAt: string;
  comment: string;
}

function freshDraft(): Draft {
  const now = new Date();
  return { hostId: '', containerId: '', ruleId: '', startsAt: toLocalInput(now), endsAt: toLocalInput(new Date(now.getTime() + 2 * 3600_000)), comment: '' };
}

/** Operators and above create and delete silences; times are entered in the viewer's timezone. */
export default function SilencesPage() {
  const canEdit = useCan('operator');
  const silences = useLoad<Silence[]>('/api/silences?all=true');
  const { data: hosts = [] } = useLoad<HostSummary[]>('/api/hosts');
  const { data: rules = [] } = useLoad<Rule[]>('/api/alert-rules');
  const [draft, setDraft] = useState<Draft>(freshDraft);
  const [formError, setFormError] = useState<string>();
  const [listError, setListError] = useState<string>();
  const hostContainers = useLoad<{ id: string; name: string }[]>(draft.hostId ? `/api/hosts/${draft.hostId}/containers?state=all` : null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/silences', {
        hostId: draft.hostId || undefined,
        containerId: draft.containerId || undefined,
        ruleId: draft.ruleId || undefined,
        startsAt: fromLocalInput(draft.startsAt),
        endsAt: fromLocalInput(draft.endsAt),
        comment: draft.comment,
      });
      setDraft(freshDraft());
      setFormError(undefined);
      silences.reload();
    } catch (failure) {
      setFormError(messageOf(failure));
    }
  };

  const remove = async (silence: Silence) => {
    try {
      await api('DELETE', `/api/silences/${silence.id}`);
      setListError(undefined);
      silences.reload();
    } catch (failure) {
      setListError(messageOf(failure));
    }
  };

  const hostName = (id: string | null) => (id ? (hosts.find((h) => h.id === id)?.name ?? id) : 'any');
  const ruleName = (id: string | null) => (id ? (rules.find((r) => r.id === id)?.name ?? id) : 'any');
  const containerName = (id: string | null) => (id ? ((hostContainers.data ?? []).find((c) => c.id === id)?.name ?? id) : 'any');
  return (
    <section>
      <h1>Silences</h1>
      <AlertsNav />
      {canEdit && (
        <form className="alert-form panel" onSubmit={(e) => void create(e)} aria-label="New silence">
          <h2>New silence</h2>
          <div className="form-row">
            <label>
              Host
              <select aria-label="Host" value={draft.hostId} onChange={(e) => set({ hostId: e.target.value, containerId: '' })}>
                <option value="">Any host</option>
                {hosts.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Container
              <select aria-label="Container" value={draft.containerId} disabled={!draft.hostId} onChange={(e) => set({ containerId: e.target.value })}>
                <option value="">Any container</option>
                {(hostContainers.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Rule
              <select aria-label="Rule" value={draft.ruleId} onChange={(e) => set({ ruleId: e.target.value })}>
                <option value="">Any rule</option>
                {rules.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-row">
            <label>
              Starts at
              <input type="datetime-local" required value={draft.startsAt} onChange={(e) => set({ startsAt: e.target.value })} />
            </label>
            <label>
              Ends at
              <input type="datetime-local" required value={draft.endsAt} onChange={(e) => set({ endsAt: e.target.value })} />
            </label>
          </div>
          <label>
            Comment
            <input required value={draft.comment} onChange={(e) => set({ comment: e.target.value })} />
          </label>
          {formError && (
            <p className="error" role="alert">
              {formError}
            </p>
          )}
          <div className="actions">
            <button type="submit">Create silence</button>
          </div>
        </form>
      )}
      {(silences.error || listError) && (
        <p className="error" role="alert">
          {silences.error?.message ?? listError}
        </p>
      )}
      {silences.data && silences.data.length === 0 && <p className="muted">No silences.</p>}
      {silences.data && silences.data.length > 0 && (
        <div className="table-scroll panel">
          <table aria-label="Silences">
            <thead>
              <tr>
                <th scope="col">Active</th>
                <th scope="col">Host</th>
                <th scope="col">Container</th>
                <th scope="col">Rule</th>
                <th scope="col">Starts</th>
                <th scope="col">Ends</th>
                <th scope="col">Comment</th>
                {canEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {silences.data.map((s) => (
                <tr key={s.id}>
                  <td>{s.active ? 'yes' : 'no'}</td>
                  <td>{hostName(s.hostId)}</td>
                  <td>{containerName(s.containerId)}</td>
                  <td>{ruleName(s.ruleId)}</td>
                  <td>{formatTime(s.startsAt)}</td>
                  <td>{formatTime(s.endsAt)}</td>
                  <td>{s.comment}</td>
                  {canEdit && (
                    <td>
                      <button type="button" className="danger" aria-label={`Delete silence: ${s.comment}`} onClick={() => void remove(s)}>
                        Delete
                      </button>
                    </td>
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
