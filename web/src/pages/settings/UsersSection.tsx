import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useMe, type Role } from '../../RequireSession';
import { formatTime } from '../alerts/format';
import { messageOf, useLoad } from '../alerts/use-load';

interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

const ROLES: Role[] = ['viewer', 'operator', 'admin', 'owner'];
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

/** Admins list, add, re-role and remove the organization's users; the API has the last word on each. */
export function UsersSection() {
  const me = useMe();
  const users = useLoad<User[]>('/api/users');
  const grantable = ROLES.filter((r) => RANK[r] <= RANK[me.role]);
  const [draft, setDraft] = useState({ email: '', password: '', role: 'viewer' as Role });
  const [formError, setFormError] = useState<string>();
  const [listError, setListError] = useState<string>();

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/users', draft);
      setDraft({ email: '', password: '', role: 'viewer' });
      setFormError(undefined);
      users.reload();
    } catch (failure) {
      setFormError(messageOf(failure));
    }
  };

  const act = async (method: 'PATCH' | 'DELETE', user: User, body?: { role: Role }) => {
    if (method === 'DELETE' && !window.confirm(`Remove ${user.email}?`)) return;
    try {
      await api(method, `/api/users/${user.id}`, body);
      setListError(undefined);
    } catch (failure) {
      setListError(messageOf(failure));
    }
    users.reload();
  };

  return (
    <section className="panel" aria-labelledby="users-heading">
      <h2 id="users-heading">Users and roles</h2>
      {users.error && (
        <p className="error" role="alert">
          {users.error.message}
        </p>
      )}
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {users.data && (
        <div className="table-scroll">
          <table aria-labelledby="users-heading">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Added</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => {
                const mayChange = RANK[user.role] <= RANK[me.role];
                return (
                  <tr key={user.id}>
                    <td>
                      {user.email}
                      {user.id === me.userId && <span className="muted"> (you)</span>}
                    </td>
                    <td>
                      <select
                        aria-label={`Role of ${user.email}`}
                        value={user.role}
                        disabled={!mayChange}
                        onChange={(e) => void act('PATCH', user, { role: e.target.value as Role })}
                      >
                        {(mayChange ? grantable : [user.role]).map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{formatTime(user.createdAt)}</td>
                    <td>
                      {user.id !== me.userId && user.role !== 'owner' && (
                        <button type="button" className="danger" aria-label={`Remove ${user.email}`} onClick={() => void act('DELETE', user)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form className="settings-form" onSubmit={(e) => void add(e)} aria-label="Add user">
        <h3>Add user</h3>
        <div className="settings-row">
          <label>
            Email
            <input type="email" required autoComplete="off" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} />
          </label>
          <label>
            Password
            <input type="password" required autoComplete="new-password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
          </label>
          <label>
            Role
            <select aria-label="Role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
              {grantable.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        </div>
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit">Add user</button>
      </form>
    </section>
  );
}
