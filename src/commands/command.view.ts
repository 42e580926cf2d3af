export const COMMAND_ACTIONS = ['start', 'stop', 'restart'] as const;
export const COMMAND_STATUSES = ['pending', 'sent', 'succeeded', 'failed', 'timeout'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** A `commands` row as the repository's SQL returns it, with the requester's email joined in. */
export interface CommandRow {
  id: string;
  organization_id: string;
  host_id: string;
  container_id: string;
  action: CommandAction;
  status: CommandStatus;
  message: string | null;
  requested_by: string | null;
  requested_by_email: string | null;
  idempotency_key: string | null;
  timeout_ms: number;
  created_at: Date | string;
  sent_at: Date | string | null;
  finished_at: Date | string | null;
}

export type CommandView = ReturnType<typeof toCommandView>;

// Both drivers hand timestamptz back as Date today; a string (e.g. another driver) is accepted too.
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** A command as REST answers and the `commands` live topic show it. */
export function toCommandView(row: CommandRow) {
  return {
    id: row.id,
    hostId: row.host_id,
    containerId: row.container_id,
    action: row.action,
    status: row.status,
    message: row.message,
    requestedBy: row.requested_by === null ? null : { id: row.requested_by, email: row.requested_by_email },
    timeoutMs: row.timeout_ms,
    createdAt: iso(row.created_at)!,
    sentAt: iso(row.sent_at),
    finishedAt: iso(row.finished_at),
  };
}
