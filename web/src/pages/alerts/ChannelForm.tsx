import { useState, type FormEvent } from 'react';
import type { Channel, ChannelType } from './types';
import { messageOf } from './use-load';
import { FormFooter } from './form-parts';

const TYPES: ChannelType[] = ['webhook', 'slack', 'discord', 'ntfy', 'email'];

interface ConfigText {
  url: string;
  secret: string;
  token: string;
  to: string;
}

function configOf(type: ChannelType, text: ConfigText): Record<string, unknown> {
  if (type === 'email') return { to: text.to.split(',').map((a) => a.trim()).filter(Boolean) };
  const config: Record<string, unknown> = { url: text.url.trim() };
  if (type === 'webhook' && text.secret) config.secret = text.secret;
  if (type === 'ntfy' && text.token) config.token = text.token;
  return config;
}

interface Props {
  channel?: Channel;
  onSubmit: (body: { name: string; type: ChannelType; config?: Record<string, unknown> }) => Promise<void>;
  onCancel: () => void;
}

/** Secrets come back masked, so editing leaves the configuration alone unless its fields are filled in again. */
export function ChannelForm({ channel, onSubmit, onCancel }: Props) {
  const [name, setName] = useState(channel?.name ?? '');
  const [type, setType] = useState<ChannelType>(channel?.type ?? 'webhook');
  const [text, setText] = useState<ConfigText>({ url: '', secret: '', token: '', to: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const editing = channel !== undefined;
  const configTouched = Object.values(text).some(Boolean) || (editing && type !== channel.type);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSubmit({ name, type, config: !editing || configTouched ? configOf(type, text) : undefined });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? `Edit channel ${channel.name}` : 'New channel';
  const field = (key: keyof ConfigText, label: string, extra: { type?: string; required?: boolean; placeholder?: string } = {}) => (
    <label>
      {label}
      <input
        type={extra.type ?? 'text'}
        required={!editing && extra.required}
        placeholder={editing ? String(channel.config[key === 'to' ? 'to' : key] ?? extra.placeholder ?? '') : extra.placeholder}
        value={text[key]}
        onChange={(e) => setText({ ...text, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <form className="alert-form panel" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h2>{title}</h2>
      <div className="form-row">
        <label>
          Channel name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Channel type
          <select aria-label="Channel type" value={type} onChange={(e) => setType(e.target.value as ChannelType)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      {editing && <p className="muted">Leave the fields below empty to keep the current configuration (shown masked).</p>}
      {type === 'email' ? field('to', 'Recipients (comma-separated)', { required: true, placeholder: 'ops@example.com' }) : field('url', type === 'ntfy' ? 'Topic URL' : 'URL', { type: 'url', required: true, placeholder: 'https://…' })}
      {type === 'webhook' && field('secret', 'Signing secret (optional)', { type: 'password' })}
      {type === 'ntfy' && field('token', 'Access token (optional)', { type: 'password' })}
      <FormFooter error={error} busy={busy} submitLabel={editing ? 'Save channel' : 'Create channel'} onCancel={onCancel} />
    </form>
  );
}
