import { Injectable } from '@nestjs/common';
import { SqlClient } from '../../database/sql-client.js';

export interface ContainerFacts {
  id: string;
  hostId: string;
  organizationId: string;
  hostName: string;
  name: string | null;
  labels: Record<string, string> | null;
  state: string;
  removed: boolean;
}

export interface AskedAction {
  containerId: string;
  action: string;
  createdAt: Date;
}

export interface HostFacts {
  id: string;
  organizationId: string;
  name: string;
  online: boolean;
  lastSeenAt: Date | null;
}


/** What the evaluator reads besides rules and silences: facts of hosts and containers, recent samples, actions. */
@Injectable()
export class EngineRepository {
  constructor(private readonly sql: SqlClient) {}

  containers(ids: string[]): Promise<ContainerFacts[]> {
    return this.sql.query<ContainerFacts>(
      `SELECT c.id, c.host_id AS "hostId", h.organization_id AS "organizationId", h.name AS "hostName", c.name, c.labels, c.state,
              c.removed_at IS NOT NULL AS removed
       FROM containers c JOIN hosts h ON h.id = c.host_id WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  hosts(ids: string[]): Promise<HostFacts[]> {
    return this.sql.query<HostFacts>(
      `SELECT id, organization_id AS "organizationId", name, online, last_seen_at AS "lastSeenAt" FROM hosts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Hosts of these organizations whose agent has not been heard from since `before`. */
  silentHosts(organizationIds: string[], before: Date): Promise<HostFacts[]> {
    return this.sql.query<HostFacts>(
      `SELECT id, organization_id AS "organizationId", name, online, last_seen_at AS "lastSeenAt" FROM hosts
       WHERE organization_id = ANY($1::uuid[]) AND NOT online AND last_seen_at IS NOT NULL AND last_seen_at < $2`,
      [organizationIds, before],
    );
  }

  /** The containers a host was running, for its offline alert. */
  runningContainers(hostId: string): Promise<{ id: string; name: string | null }[]> {
    return this.sql.query(`SELECT id, name FROM containers WHERE host_id = $1::uuid AND removed_at IS NULL AND state = 'running' ORDER BY name`, [hostId]);
  }

  /**
   * Samples of these containers since `since` (and not from the future), at most
   * CATCH_UP_MAX_SAMPLES each, the newest, oldest first (columns as the metrics rows).
   */
  recentContainerMetrics(ids: string[], since: Date): Promise<Record<string, unknown>[]> {
    return this.sql.query(
      `SELECT * FROM (
         SELECT container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write,
                row_number() OVER (PARTITION BY container_id ORDER BY ts DESC) AS newest
         FROM container_metrics WHERE container_id = ANY($1::uuid[]) AND ts >= $2 AND ts <= now() + interval '1 minute'
       ) recent WHERE newest <= ${CATCH_UP_MAX_SAMPLES} ORDER BY ts`,
      [ids, since],
    );
  }

  recentHostMetrics(ids: string[], since: Date): Promise<Record<string, unknown>[]> {
    return this.sql.query(
      `SELECT * FROM (
         SELECT host_id, ts, cpu_percent, load1, load5, load15, memory_used, memory_total, disk_used, disk_total, network_rx, network_tx,
                row_number() OVER (PARTITION BY host_id ORDER BY ts DESC) AS newest
         FROM host_metrics WHERE host_id = ANY($1::uuid[]) AND ts >= $2 AND ts <= now() + interval '1 minute'
       ) recent WHERE newest <= ${CATCH_UP_MAX_SAMPLES} ORDER BY ts`,
      [ids, since],
    );
  }

  /** Events of these containers since `since`, oldest first. */
  recentEvents(containerIds: string[], since: Date): Promise<{ container_id: string; ts: Date; action: string; exit_code: number | null; health: string | null }[]> {
    return this.sql.query(
      `SELECT container_id, ts, action, exit_code, health FROM container_events WHERE container_id = ANY($1::uuid[]) AND ts > $2 ORDER BY ts`,
      [containerIds, since],
    );
  }

  /** Actions asked through DockPulse on the host's containers between `from` and `to` (index on host and time). */
  actionsAsked(hostId: string, from: Date, to: Date): Promise<AskedAction[]> {
    return this.sql.query<AskedAction>(
      `SELECT container_id AS "containerId", action::text AS action, created_at AS "createdAt" FROM commands
       WHERE host_id = $1::uuid AND created_at BETWEEN $2 AND $3`,
      [hostId, from, to],
    );
  }
}

/** Catch-up reads: the last samples of series seen for the first time since start-up, this far back … */
export const CATCH_UP_MAX_MS = 60 * 60_000;
/** … and at most this many a series (a 5-minute window of 1-second samples). */
const CATCH_UP_MAX_SAMPLES = 300;
