import { Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { RequireSession } from './RequireSession';
import LoginPage from './pages/auth/LoginPage';
import SetupPage from './pages/auth/SetupPage';
import FleetPage from './pages/fleet/FleetPage';
import HostPage from './pages/host/HostPage';
import ContainerPage from './pages/container/ContainerPage';
import AlertsPage from './pages/alerts/AlertsPage';
import AlertPage from './pages/alerts/AlertPage';
import RulesPage from './pages/alerts/RulesPage';
import ChannelsPage from './pages/alerts/ChannelsPage';
import SilencesPage from './pages/alerts/SilencesPage';
import SettingsPage from './pages/settings/SettingsPage';
import NotFoundPage from './pages/NotFoundPage';

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
