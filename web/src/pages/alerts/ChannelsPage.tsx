import { useState } from 'react';
import { api, ApiError } from '../../api';
import { useCan } from '../../RequireSession';
import { AlertsNav } from './AlertsNav';
import { ChannelForm } from './ChannelForm';
import type { Channel } from './types';
import { messageOf, useLoad } from './use-load';
import { RowActions } from './form-parts';
import './alerts.css';

function maskedConfig(config: Record<string, unknown>): string {
  return Object.entries(config)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
}

/** What the receiver said to a test message: accepted, or its answer (a 502 carries it in `receiver`). */
function testOutcome(result: unknown): string {
  const body = (result ?? {}) as { ok?: boolean; status?: number; message?: unknown; receiver?: { status: number | null; body: unknown } };
  if (body.ok) return `Accepted${body.status ? ` (HTTP ${body.status})` : ''}`;
  const receiver = body.receiver;
  const answer = receiver?.status ? ` — receiver answered HTTP ${receiver.status}${receiver.body ? `: ${typeof receiver.body === 'string' ? receiver.body : JSON.stringify(receiver.body)}` : ''}` : '';
  return `Refused: ${Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? '')}${answer}`;
}

export default function ChannelsPage() {
  const canEdit = useCan('admin');
  const channels = useLoad<Channel[]>('/api/notification-channels');
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [error, setError] = useState<string>();
  const [tests, setTests] = useState<Record<string, string>>({});

  const save = async (body: { name: string; type: string; config?: Record<string, unknown> }) => {
    if (editing === 'new') await api('POST', '/api/notification-channels', body);
    else if (editing) await api('PATCH', `/api/notification-channels/${editing.id}`, body);
    setEditing(null);
    channels.reload();
  };

  const remove = async (channel: Channel) => {
    if (!window.confirm(`Delete the channel ${channel.name}?`)) return;
    try {
      await api('DELETE', `/api/notification-channels/${channel.id}`);
      setError(undefined);
      channels.reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const sendTest = async (channel: Channel) => {
    setTests((t) => ({ ...t, [channel.id]: 'Sending…' }));
    let outcome: string;
    try {
      outcome = testOutcome(await api('POST', `/api/notification-channels/${channel.id}/test`));
    } catch (failure) {
      outcome = failure instanceof ApiError && failure.status === 502 ? testOutcome(failure.body) : messageOf(failure);
    }
    setTests((t) => ({ ...t, [channel.id]: outcome }));
  };

  return (
    <section>
      <h1>Notification channels</h1>
      <AlertsNav />
      {canEdit && editing === null && (
        <button type="button" onClick={() => setEditing('new')}>
          New channel
        </button>
      )}
      {editing !== null && <ChannelForm key={editing === 'new' ? 'new' : editing.id} channel={editing === 'new' ? undefined : editing} onSubmit={save} onCancel={() => setEditing(null)} />}
      {(channels.error || error) && (
        <p className="error" role="alert">
          {channels.error?.message ?? error}
        </p>
      )}
      {channels.data && channels.data.length === 0 && <p className="muted">No channels yet.</p>}
      {channels.data && channels.data.length > 0 && (
        <div className="table-scroll panel">
          <table aria-label="Notification channels">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Configuration</th>
                <th scope="col">Test</th>
                {canEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {channels.data.map((channel) => (
                <tr key={channel.id}>
                  <td>{channel.name}</td>
                  <td>{channel.type}</td>
                  <td>
                    <code>{maskedConfig(channel.config)}</code>
                  </td>
                  <td>
                    {canEdit && (
                      <button type="button" className="secondary" aria-label={`Send test to ${channel.name}`} onClick={() => void sendTest(channel)}>
                        Send test
                      </button>
                    )}
                    <span role="status" aria-label={`Test result of ${channel.name}`}>
                      {' '}
                      {tests[channel.id]}
                    </span>
                  </td>
                  {canEdit && (
                    <RowActions name={channel.name} onEdit={() => setEditing(channel)} onDelete={() => void remove(channel)} />
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
