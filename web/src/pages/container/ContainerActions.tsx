import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { live } from '../../live';
import { useCan } from '../../RequireSession';

type Action = 'start' | 'stop' | 'restart';
type Status = 'pending' | 'sent' | 'succeeded' | 'failed' | 'timeout';

interface Command {
  id: string;
  action: Action;
  status: Status;
  message: string | null;
}

const ACTIONS: { action: Action; label: string }[] = [
  { action: 'start', label: 'Start' },
  { action: 'stop', label: 'Stop' },
  { action: 'restart', label: 'Restart' },
];
const FINISHED: Status[] = ['succeeded', 'failed', 'timeout'];
const POLL_MS = 2000;

/** Start, stop and restart for operators, each confirmed first; progress is announced until the agent answers. */
export function ContainerActions({ containerId, name, onFinished }: { containerId: string; name: string; onFinished(): void }) {
  const allowed = useCan('operator');
  const dialog = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState<Action | null>(null);
  const [command, setCommand] = useState<Command | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const running = command !== null && !FINISHED.includes(command.status);

  useEffect(() => {
    if (!command || !running) return;
    const update = (next: Command) => {
      if (next.id !== command.id) return;
      setCommand(next);
      if (FINISHED.includes(next.status)) onFinished();
    };
    const unsubscribe = live.subscribe('commands', (frame) => update(frame.data as Command));
    const timer = setInterval(() => {
      api<Command>('GET', `/api/commands/${encodeURIComponent(command.id)}`)
        .then(update)
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [command?.id, running]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!allowed) return null;

  const ask = (action: Action) => {
    setAsking(action);
    dialog.current?.showModal();
  };
  const confirm = async () => {
    const action = asking!;
    dialog.current?.close();
    setBusy(true);
    setError('');
    try {
      const accepted = await api<{ commandId: string; status: Status }>('POST', `/api/containers/${encodeURIComponent(containerId)}/actions`, { action });
      setCommand({ id: accepted.commandId, action, status: accepted.status, message: null });
    } catch (e) {
      setCommand(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="container-actions">
      <div role="group" aria-label="Container actions" className="action-buttons">
        {ACTIONS.map(({ action, label }) => (
          <button key={action} type="button" className={action === 'stop' ? 'danger' : 'secondary'} disabled={busy || running} onClick={() => ask(action)}>
            {label}
          </button>
        ))}
      </div>
      <dialog ref={dialog} aria-labelledby="confirm-action-title" onClose={() => setAsking(null)}>
        <h2 id="confirm-action-title">
          {asking ? `${asking[0].toUpperCase()}${asking.slice(1)} ${name}?` : ''}
        </h2>
        <p>The command goes to the host's agent, which runs it against Docker.</p>
        <div className="action-buttons">
          <button type="button" className={asking === 'stop' ? 'danger' : ''} onClick={() => void confirm()}>
            Yes, {asking}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
      <p className="action-progress" role="status" aria-live="polite" data-testid="action-status">
        {command && describe(command)}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function describe(command: Command): string {
  const what = command.action[0].toUpperCase() + command.action.slice(1);
  switch (command.status) {
    case 'pending':
      return `${what}: waiting for the agent…`;
    case 'sent':
      return `${what}: sent to the agent…`;
    case 'succeeded':
      return `${what} succeeded${command.message ? `: ${command.message}` : '.'}`;
    case 'failed':
      return `${what} failed${command.message ? `: ${command.message}` : '.'}`;
    case 'timeout':
      return `${what} timed out: the agent did not answer in time.`;
  }
}
