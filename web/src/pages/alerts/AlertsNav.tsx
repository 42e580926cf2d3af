import { NavLink } from 'react-router';

/** Links between the alert pages. */
export function AlertsNav() {
  return (
    <nav className="alerts-subnav" aria-label="Alerts sections">
      <NavLink to="/alerts" end>
        Alerts
      </NavLink>
      <NavLink to="/alerts/rules">Rules</NavLink>
      <NavLink to="/alerts/channels">Channels</NavLink>
      <NavLink to="/alerts/silences">Silences</NavLink>
    </nav>
  );
}
