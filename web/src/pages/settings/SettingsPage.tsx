import { useCan } from '../../RequireSession';
import { PasswordSection } from './PasswordSection';
import { StorageHealthSection } from './StorageHealthSection';
import { UsersSection } from './UsersSection';
import './settings.css';

export default function SettingsPage() {
  const isAdmin = useCan('admin');
  return (
    <section>
      <h1>Settings</h1>
      {isAdmin && <UsersSection />}
      <StorageHealthSection />
      <PasswordSection />
    </section>
  );
}
