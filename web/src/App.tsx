import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { RequireSession } from './RequireSession';
import LoginPage from './pages/auth/LoginPage';
import SetupPage from './pages/auth/SetupPage';
import FleetPage from './pages/fleet/FleetPage';
import NotFoundPage from './pages/NotFoundPage';

// Pages past the fleet load on first visit: the first screen does not wait for every chart and form.
const HostPage = lazy(() => import('./pages/host/HostPage'));
const ContainerPage = lazy(() => import('./pages/container/ContainerPage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const AlertPage = lazy(() => import('./pages/alerts/AlertPage'));
const RulesPage = lazy(() => import('./pages/alerts/RulesPage'));
const ChannelsPage = lazy(() => import('./pages/alerts/ChannelsPage'));
const SilencesPage = lazy(() => import('./pages/alerts/SilencesPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));

/** The dashboard's routes; every page but first-run and login needs a session. */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/setup" element={<SetupPage />} />
      <Route element={<RequireSession><Layout /></RequireSession>}>
        <Route index element={<FleetPage />} />
        <Route path="hosts/:hostId" element={<HostPage />} />
        <Route path="containers/:containerId" element={<ContainerPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="alerts/rules" element={<RulesPage />} />
        <Route path="alerts/channels" element={<ChannelsPage />} />
        <Route path="alerts/silences" element={<SilencesPage />} />
        <Route path="alerts/:alertId" element={<AlertPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
