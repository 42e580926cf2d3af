import { Link } from 'react-router';
import type { Alert } from './types';

export function AlertSubject({ subject }: { subject: Alert['subject'] }) {
  if (subject.containerId) {
    return (
      <>
        <Link to={`/containers/${subject.containerId}`}>{subject.name}</Link>{' '}
        <span className="muted">
          on <Link to={`/hosts/${subject.hostId}`}>{subject.hostName ?? 'host'}</Link>
        </span>
      </>
    );
  }
  return <Link to={`/hosts/${subject.hostId}`}>{subject.name}</Link>;
}

export function mutedLabel(alert: Alert): string {
  if (alert.mutedBy === 'host_offline') return 'muted: host offline';
  if (alert.mutedBy === 'silence' || alert.silenced) return 'silenced';
  return '';
}
