import { useEffect, useState } from 'react';
import { api } from '../../api';
import { live } from '../../live';
import { useCan } from '../../RequireSession';
import { AddHost } from './AddHost';
import type { Host, HostStatusFrame } from './fleet-types';
import { HostRow } from './HostRow';
import { useNow } from './relative-time';
import './fleet.css';

/** Every host of the organization at a glance, statuses kept live. */
export default function FleetPage() {
  const admin = useCan('admin');
  const now = useNow();
  const [hosts, setHosts] = useState<Host[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<Host[]>('GET', '/api/hosts').then(setHosts, (failure: Error) => setError(failure.message));
  }, []);

  const ids = hosts?.map((host) => host.id).join(',') ?? '';
  useEffect(() => {
    if (!ids) return;
    const unsubscribes = ids.split(',').map((id) =>
      live.subscribe(`host:${id}`, (frame) => {
        if (frame.type !== 'host_status') return;
        const { status, at } = frame.data as HostStatusFrame;
        const update = (changes: Partial<Host>) => setHosts((list) => list?.map((host) => (host.id === id ? { ...host, ...changes } : host)));
        update({ status, lastSeenAt: at });
        // A (re)connected agent may have enrolled or upgraded since the list was read.
        if (status === 'online') api<Host>('GET', `/api/hosts/${id}`).then(({ agentVersion, hostname }) => update({ agentVersion, hostname }), () => undefined);
      }),
    );
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }, [ids]);

  const added = (host: Host) => setHosts((list) => [...(list ?? []), host]);

  return (
    <>
      <div className="fleet-head">
        <h1>Fleet</h1>
        {admin && <AddHost onAdded={added} />}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!hosts && !error && <p className="muted">Loading hosts…</p>}
      {hosts?.length === 0 && <p className="muted">No hosts yet.{admin ? ' Add one to start collecting.' : ' An administrator adds them.'}</p>}
      {!!hosts?.length && (
        <div className="table-scroll panel">
          <table className="fleet">
            <caption className="visually-hidden">Hosts</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                <th scope="col">Agent</th>
                <th scope="col">CPU (1 h)</th>
                <th scope="col">Memory (1 h)</th>
                <th scope="col">Running containers</th>
                <th scope="col">Firing alerts</th>
              </tr>
            </thead>
            <tbody>
              {hosts.map((host) => (
                <HostRow key={host.id} host={host} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
