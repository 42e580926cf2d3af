import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import type { CommandAction, CommandRow, CommandStatus } from './command.view.js';

/** The container an action targets, with what sending it needs. */
export interface ActionTarget {
  id: string;
  hostId: string;
  dockerId: string;
  removed: boolean;
}

export interface NewCommand {
  organizationId: string;
  hostId: string;
  containerId: string;
  action: CommandAction;
  requestedBy: string;
  idempotencyKey: string | null;
  timeoutMs: number;
}

/** Every statement ends by joining the requester, so each one yields the whole view. */
const WITH_REQUESTER = (source: string) => `SELECT c.*, u.email AS requested_by_email FROM ${source} c LEFT JOIN users u ON u.id = c.requested_by`;

/** Commands sent to agents. Every read by a user is scoped to an organization. */
@Injectable()
export class CommandsRepository {
  constructor(private readonly sql: SqlClient) {}

  async findTarget(organizationId: string, containerId: string): Promise<ActionTarget | undefined> {
    const [row] = await this.sql.query<ActionTarget>(
      `SELECT c.id, c.host_id AS "hostId", c.docker_id AS "dockerId", c.removed_at IS NOT NULL AS removed
       FROM containers c JOIN hosts h ON h.id = c.host_id WHERE c.id = $1::uuid AND h.organization_id = $2::uuid`,
      [containerId, organizationId],
    );
    return row;
  }

  /**
   * Creates a pending command. With an idempotency key already taken in the organization (even by
   * a concurrent request) nothing is inserted and the answer is undefined: the caller reads the winner.
   */
  async create(command: NewCommand): Promise<CommandRow | undefined> {
    const [row] = await this.sql.query<CommandRow>(
      `WITH created AS (
         INSERT INTO commands (organization_id, host_id, container_id, action, requested_by, idempotency_key, timeout_ms)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::"CommandAction", $5::uuid, $6, $7)
         ON CONFLICT (organization_id, idempotency_key) DO NOTHING RETURNING *)
       ${WITH_REQUESTER('created')}`,
      [command.organizationId, command.hostId, command.containerId, command.action, command.requestedBy, command.idempotencyKey, command.timeoutMs],
    );
    return row;
  }

  async findByKey(organizationId: string, idempotencyKey: string): Promise<CommandRow | undefined> {
    const [row] = await this.sql.query<CommandRow>(`${WITH_REQUESTER('commands')} WHERE c.organization_id = $1::uuid AND c.idempotency_key = $2`, [
      organizationId,
      idempotencyKey,
    ]);
    return row;
  }

  async find(organizationId: string, commandId: string): Promise<CommandRow | undefined> {
    const [row] = await this.sql.query<CommandRow>(`${WITH_REQUESTER('commands')} WHERE c.id = $1::uuid AND c.organization_id = $2::uuid`, [
      commandId,
      organizationId,
    ]);
    return row;
  }

  /** The host's commands, newest first. */
  listForHost(organizationId: string, hostId: string, status: CommandStatus | undefined, limit: number): Promise<CommandRow[]> {
    return this.sql.query<CommandRow>(
      `${WITH_REQUESTER('commands')}
       WHERE c.host_id = $1::uuid AND c.organization_id = $2::uuid AND ($3::"CommandStatus" IS NULL OR c.status = $3::"CommandStatus")
       ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [hostId, organizationId, status ?? null, limit],
    );
  }

  /** pending → sent; undefined when the command already moved on. */
  async markSent(commandId: string): Promise<CommandRow | undefined> {
    const [row] = await this.sql.query<CommandRow>(
      `WITH changed AS (UPDATE commands SET status = 'sent', sent_at = now() WHERE id = $1::uuid AND status = 'pending' RETURNING *)
       ${WITH_REQUESTER('changed')}`,
      [commandId],
    );
    return row;
  }

  /**
   * Records a command's result if it is still open (pending or sent), returning the changed
   * command. `exists` says whether the command belongs to this host at all, so a replayed or late
   * result is acknowledged without changing anything.
   */
  async finish(hostId: string, commandId: string, status: 'succeeded' | 'failed', message: string | null): Promise<{ exists: boolean; changed?: CommandRow }> {
    const [changed] = await this.sql.query<CommandRow>(
      `WITH changed AS (
         UPDATE commands SET status = $3::"CommandStatus", message = $4, finished_at = now()
         WHERE id = $1::uuid AND host_id = $2::uuid AND status IN ('pending', 'sent') RETURNING *)
       ${WITH_REQUESTER('changed')}`,
      [commandId, hostId, status, message],
    );
    if (changed) return { exists: true, changed };
    const [{ exists }] = await this.sql.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM commands WHERE id = $1::uuid AND host_id = $2::uuid) AS exists', [
      commandId,
      hostId,
    ]);
    return { exists };
  }

  /**
   * Marks every open command past its own deadline `timeout`, in one statement: with several
   * instances sweeping, each command changes (and is reported) exactly once.
   */
  expireOverdue(): Promise<CommandRow[]> {
    return this.sql.query<CommandRow>(
      `WITH changed AS (
         UPDATE commands SET status = 'timeout', finished_at = now(),
           message = 'No result from the agent within ' || timeout_ms || ' ms'
         WHERE status IN ('pending', 'sent') AND created_at + timeout_ms * interval '1 millisecond' < now() RETURNING *)
       ${WITH_REQUESTER('changed')}`,
    );
  }
}
