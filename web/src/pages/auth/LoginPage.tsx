import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, session } from '../../api';
import { safeNext, setupState } from './setup-state';
import './auth.css';

/** Sign in, then back to where the person was (`?next=`). A fresh install goes to setup instead. */
export default function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [signupOpen, setSignupOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setupState().then(
      (state) => {
        if (!state.hasOrganization && state.signupOpen) navigate('/setup', { replace: true });
        else setSignupOpen(state.signupOpen);
      },
      () => undefined,
    );
  }, [navigate]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/login', { email: form.get('email'), password: form.get('password') });
      session.set(accessToken);
      navigate(next, { replace: true });
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <main className="auth" id="main">
      <h1>Sign in to DockPulse</h1>
      {params.get('expired') === '1' && <p className="notice" role="status">Your session expired, sign in again.</p>}
      <form onSubmit={submit}>
        <label>
          Email
          <input name="email" type="email" required autoComplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" required autoComplete="current-password" />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      {signupOpen && (
        <p className="muted">
          New here? <Link to="/setup">Create an organization</Link>.
        </p>
      )}
    </main>
  );
}
