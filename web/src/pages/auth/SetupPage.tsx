import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, session } from '../../api';
import { setupState, type SetupState } from './setup-state';
import './auth.css';

/** First run: the person opening a fresh install creates the organization and becomes its owner. */
export default function SetupPage() {
  const navigate = useNavigate();
  const [state, setState] = useState<SetupState>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setupState().then(setState, () => undefined);
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const body = { organization: form.get('organization'), email: form.get('email'), password: form.get('password') };
      const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/signup', body);
      session.set(accessToken);
      navigate('/', { replace: true });
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <main className="auth" id="main">
      <h1>Create your organization</h1>
      {!state?.hasOrganization && <p className="muted">You are the first one here: you will own this DockPulse server and can add colleagues afterwards.</p>}
      {state && !state.signupOpen && (
        <p className="notice">
          This server is already set up. <Link to="/login">Sign in</Link> instead, or ask an administrator for an account.
        </p>
      )}
      <form onSubmit={submit}>
        <label>
          Organization name
          <input name="organization" required maxLength={100} autoComplete="organization" />
        </label>
        <label>
          Your email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={10} maxLength={128} autoComplete="new-password" aria-describedby="password-hint" />
          <span id="password-hint" className="muted">10 characters or more, mixing at least two of: lowercase, uppercase, digits, symbols.</span>
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create organization'}</button>
      </form>
    </main>
  );
}
