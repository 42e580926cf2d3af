import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { messageOf } from '../alerts/use-load';

export function PasswordSection() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/auth/password', { currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setOutcome({ ok: true, text: 'Password changed.' });
    } catch (failure) {
      setOutcome({ ok: false, text: messageOf(failure) });
    }
  };

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="Change your password">
        <div className="settings-row">
          <label>
            Current password
            <input type="password" required autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
          </label>
          <label>
            New password
            <input type="password" required minLength={10} autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} />
          </label>
        </div>
        <p className="muted">10 to 128 characters mixing at least two of: lowercase letters, uppercase letters, digits, symbols.</p>
        {outcome && (
          <p className={outcome.ok ? 'settings-ok' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
            {outcome.text}
          </p>
        )}
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}
