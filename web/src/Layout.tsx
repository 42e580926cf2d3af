import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { session } from './api';
import { useCan } from './RequireSession';

export function Layout() {
  const navigate = useNavigate();
  const admin = useCan('admin');
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <NavLink to="/" className="brand" end>DockPulse</NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>Fleet</NavLink>
          <NavLink to="/alerts">Alerts</NavLink>
          {admin && <NavLink to="/alerts/rules">Rules</NavLink>}
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <button
          type="button"
          className="link"
          onClick={() => {
            session.clear();
            navigate('/login');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main">
        <Suspense fallback={<p className="muted" role="status">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
