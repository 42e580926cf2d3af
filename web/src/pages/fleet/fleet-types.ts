export type HostStatus = 'online' | 'offline';

export interface Host {
  id: string;
  name: string;
  status: HostStatus;
  lastSeenAt: string | null;
  agentVersion: string | null;
  hostname: string | null;
}

export interface HostStatusFrame {
  hostId: string;
  status: HostStatus;
  at: string;
}

export interface HostBucket {
  ts: string;
  cpu: { avg: number; max: number };
  memory: { avg: number; max: number; total: number };
}
