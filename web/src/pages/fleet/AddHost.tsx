import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { live } from '../../live';
import type { Host, HostStatusFrame } from './fleet-types';

interface Created {
  host: Host;
  enrollmentToken: string;
  enrollmentTokenExpiresAt: string;
}

/** Admins name a host, get its one-time enrollment token and the command to start its agent. */
export function AddHost({ onAdded }: { onAdded: (host: Host) => void }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Created>();
  const [online, setOnline] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!created) return;
    return live.subscribe(`host:${created.host.id}`, (frame) => {
      if (frame.type === 'host_status' && (frame.data as HostStatusFrame).status === 'online') setOnline(true);
    });
  }, [created]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<Created>('POST', '/api/hosts', { name: new FormData(event.currentTarget).get('name') });
      setCreated(answer);
      setOnline(false);
      onAdded(answer.host);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Add host
      </button>
    );
  }
  return (
    <section className="panel add-host" aria-labelledby="add-host-title">
      <h2 id="add-host-title">Add a host</h2>
      {!created ? (
        <form onSubmit={submit} className="add-host-form">
          <label>
            Host name
            <input name="name" required maxLength={100} autoFocus />
          </label>
          <button type="submit" disabled={busy}>Create host</button>
          <button type="button" className="secondary" onClick={() => setOpen(false)}>Cancel</button>
          {error && <p role="alert" className="error">{error}</p>}
        </form>
      ) : (
        <Enrollment created={created} online={online} onDone={() => { setCreated(undefined); setOpen(false); }} />
      )}
    </section>
  );
}

function Enrollment({ created, online, onDone }: { created: Created; online: boolean; onDone: () => void }) {
  const server = window.location.origin;
  const command = `npx dockpulse-agent --server ${server} --enrollment-token ${created.enrollmentToken}`;
  return (
    <>
      <p>
        Enrollment token for <strong>{created.host.name}</strong> (shown once, single use, valid until{' '}
        {new Date(created.enrollmentTokenExpiresAt).toLocaleString()}):
      </p>
      <pre className="copyable" data-testid="enrollment-token">{created.enrollmentToken}</pre>
      <p>On the host, in a DockPulse checkout (<code>npm install && npm run build</code> once), start the agent:</p>
      <pre className="copyable" data-testid="agent-command">{command}</pre>
      <p className="muted">
        The same with environment variables: <code>DOCKPULSE_SERVER={server} DOCKPULSE_ENROLLMENT_TOKEN=… npx dockpulse-agent</code>. Later starts reuse
        the agent token it keeps in <code>./dockpulse-agent-state</code>. There is no agent container image yet, so only the Node form is shown.
      </p>
      <p role="status" className={online ? 'status-online' : 'muted'}>
        {online ? `${created.host.name} is online.` : `Waiting for ${created.host.name} to come online…`}
      </p>
      <button type="button" className="secondary" onClick={onDone}>Done</button>
    </>
  );
}
