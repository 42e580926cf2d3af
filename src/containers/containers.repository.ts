import { Injectable } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import { parseTimestamp, toMillisIso } from '../common/timestamp.js';
import { PrismaService } from '../database/prisma.service.js';
import { retryConflicts } from '../database/retry-conflicts.js';
import { SqlClient, type SqlExecutor } from '../database/sql-client.js';
import type { ContainerDto } from './dto/container.dto.js';

export interface SyncResult {
  upserted: number;
  removed: number;
  total: number;
  ids: Map<string, string>;
}

const INVENTORY_COLUMNS = `docker_id text, short_id text, name text, image text, image_id text, command text, state text,
  status text, ports jsonb, labels jsonb, started_at timestamptz, health text, exit_code int4, restart_count int4, finished_at timestamptz`;

/** First key of the per-host inventory lock (the second is a hash of the host id). */
export const INVENTORY_LOCK_SPACE = 0x44500002;

/**
 * A snapshot and the metrics or logs frames creating the same new containers insert the same
 * (host, short id) keys in different orders, and would deadlock: every writer of a host's
 * containers takes this transaction lock first, so they queue instead. Hosts never wait for each
 * other (a hash collision only makes two hosts queue).
 */
const lockHostInventory = (tx: SqlExecutor, hostId: string) => tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [INVENTORY_LOCK_SPACE, hostId]);

@Injectable()
export class ContainersRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Ids of containers already stored, for (host, short id) pairs of any number of hosts: one read
   * through the index, no lock. Pairs not stored are left out of the answer.
   */
  storedIds(pairs: ReadonlyArray<{ hostId: string; shortId: string }>): Promise<Array<{ host_id: string; short_id: string; id: string }>> {
    return this.sql.ingest.query(
      `SELECT c.host_id, c.short_id, c.id FROM unnest($1::uuid[], $2::text[]) AS k(host_id, short_id)
       JOIN containers c ON c.host_id = k.host_id AND c.short_id = k.short_id`,
      [pairs.map((pair) => pair.hostId), pairs.map((pair) => pair.shortId)],
    );
  }

  /**
   * Ids of the host's containers named by short id, creating unknown ones (state `unknown`) in the
   * same statement. A full id replaces a short one once the inventory reports it.
   */
  async ensure(hostId: string, dockerIds: Map<string, string>): Promise<Map<string, string>> {
    const input = JSON.stringify([...dockerIds].map(([shortId, dockerId]) => ({ short_id: shortId, docker_id: dockerId })));
    return retryConflicts(() =>
      this.sql.ingest.transaction(
        async (tx) => {
          await lockHostInventory(tx, hostId);
          const rows = await tx.query<{ short_id: string; id: string }>(
            `WITH input AS (SELECT * FROM json_to_recordset($2::json) AS r(short_id text, docker_id text)),
             created AS (
               INSERT INTO containers (host_id, docker_id, short_id) SELECT $1::uuid, docker_id, short_id FROM input
               ON CONFLICT DO NOTHING RETURNING short_id, id)
             SELECT short_id, id FROM created
             UNION ALL SELECT c.short_id, c.id FROM containers c JOIN input i ON c.host_id = $1::uuid AND c.short_id = i.short_id`,
            [hostId, input],
          );
          return new Map(rows.map((row) => [row.short_id, row.id]));
        },
        { timeoutMs: 30_000 },
      ),
    );
  }

  /**
   * Applies a full inventory snapshot in one transaction with three statements whatever its size:
   * upsert every container, mark known ones missing from it removed, count what is live.
   */
  sync(hostId: string, containers: ContainerDto[]): Promise<SyncResult> {
    const input = JSON.stringify(
      containers.map((c) => ({
        docker_id: c.dockerId,
        short_id: c.dockerId.slice(0, 12),
        name: cleanText(c.name.replace(/^\//, '')),
        image: cleanText(c.image),
        image_id: c.imageId ?? null,
        command: c.command === undefined ? null : cleanText(c.command),
        state: cleanText(c.state),
        status: c.status === undefined ? null : cleanText(c.status),
        ports: c.ports ?? null,
        labels: c.labels ?? null,
        started_at: c.startedAt === undefined ? null : toMillisIso(parseTimestamp(c.startedAt)!),
        health: c.health ?? null,
        exit_code: c.exitCode ?? null,
        restart_count: c.restartCount ?? null,
        finished_at: c.finishedAt === undefined ? null : toMillisIso(parseTimestamp(c.finishedAt)!),
      })),
    );
    return retryConflicts(() =>
      this.sql.ingest.transaction(
        async (tx) => {
          await lockHostInventory(tx, hostId);
          const upserted = await tx.query<{ short_id: string; id: string }>(
            `INSERT INTO containers (host_id, docker_id, short_id, name, image, image_id, command, state, status, ports, labels, started_at,
                                     health, exit_code, restart_count, finished_at)
             SELECT $1::uuid, docker_id, short_id, name, image, image_id, command, state, status, ports, labels, started_at,
                    health, exit_code, restart_count, finished_at
             FROM json_to_recordset($2::json) AS r(${INVENTORY_COLUMNS})
             ON CONFLICT (host_id, short_id) DO UPDATE SET
               docker_id = CASE WHEN length(EXCLUDED.docker_id) > length(containers.docker_id) THEN EXCLUDED.docker_id ELSE containers.docker_id END,
               name = EXCLUDED.name, image = EXCLUDED.image, image_id = EXCLUDED.image_id, command = EXCLUDED.command,
               state = EXCLUDED.state, status = EXCLUDED.status, ports = EXCLUDED.ports, labels = EXCLUDED.labels,
               started_at = EXCLUDED.started_at, health = EXCLUDED.health, exit_code = EXCLUDED.exit_code,
               restart_count = EXCLUDED.restart_count, finished_at = EXCLUDED.finished_at, removed_at = NULL, updated_at = now()
             RETURNING short_id, id`,
            [hostId, input],
          );
          const removed = await tx.query<{ id: string }>(
            `UPDATE containers SET removed_at = now(), updated_at = now()
             WHERE host_id = $1::uuid AND removed_at IS NULL AND NOT (short_id = ANY($2::text[])) RETURNING id`,
            [hostId, containers.map((c) => c.dockerId.slice(0, 12))],
          );
          const [{ total }] = await tx.query<{ total: number }>(
            'SELECT count(*)::int AS total FROM containers WHERE host_id = $1::uuid AND removed_at IS NULL',
            [hostId],
          );
          return { upserted: upserted.length, removed: removed.length, total, ids: new Map(upserted.map((row) => [row.short_id, row.id])) };
        },
        { timeoutMs: 30_000 },
      ),
    );
  }

  listForHost(organizationId: string, hostId: string, runningOnly: boolean) {
    return this.prisma.container.findMany({
      where: { hostId, host: { organizationId }, ...(runningOnly ? { state: 'running', removedAt: null } : {}) },
      orderBy: [{ removedAt: { sort: 'asc', nulls: 'first' } }, { name: 'asc' }],
    });
  }

  find(organizationId: string, containerId: string) {
    return this.prisma.container.findFirst({ where: { id: containerId, host: { organizationId } } });
  }
}
