import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import { AgentLinks } from '../agent-links/agent-links.js';
import type { UserPrincipal } from '../common/principal.js';
import { ConfigurationError, type Environment } from '../config/environment.js';
import { CommandEvents } from './command-events.js';
import { toCommandView, type CommandAction, type CommandRow, type CommandStatus, type CommandView } from './command.view.js';
import { CommandsRepository, type ActionTarget } from './commands.repository.js';

/** timeout_ms is an int4 column; a day is far beyond any start, stop or restart anyway. */
const MAX_TIMEOUT_MS = 86_400_000;

export type AcceptedCommand = CommandView & { commandId: string };

/**
 * Container actions: a command is created `pending`, marked `sent` as it goes down the host's
 * agent socket, and closed by the agent's `command_result` or by the timeout sweep. Every
 * transition is published on the organization's `commands` topic.
 */
@Injectable()
export class CommandsService {
  private readonly timeoutMs: number;

  constructor(
    private readonly commands: CommandsRepository,
    private readonly access: AccessRepository,
    private readonly connections: AgentLinks,
    private readonly events: CommandEvents,
    config: ConfigService<Environment, true>,
  ) {
    const timeout = config.getOrThrow('COMMAND_TIMEOUT', { infer: true });
    this.timeoutMs = config.getOrThrow('ms', { infer: true }).COMMAND_TIMEOUT;
    if (this.timeoutMs > MAX_TIMEOUT_MS) throw new ConfigurationError(`COMMAND_TIMEOUT must be at most 24h (got "${timeout}")`);
  }

  /**
   * Sends `action` to the container's agent. A request repeating an earlier Idempotency-Key of the
   * organization gets that command back (current status) and sends nothing.
   */
  async request(user: UserPrincipal, containerId: string, action: CommandAction, idempotencyKey?: string): Promise<AcceptedCommand> {
    const target = await this.commands.findTarget(user.organizationId, containerId);
    if (!target) throw new NotFoundException('Container not found');
    if (idempotencyKey !== undefined) {
      const earlier = await this.commands.findByKey(user.organizationId, idempotencyKey);
      if (earlier) return this.replay(earlier, target, action, idempotencyKey);
    }
    if (target.removed) throw new ConflictException(`Container ${target.id} has been removed from its host`);
    if (!(await this.connections.reachable(target.hostId))) throw new ConflictException(`Agent of host ${target.hostId} is offline`);
    const created = await this.commands.create({
      organizationId: user.organizationId,
      hostId: target.hostId,
      containerId: target.id,
      action,
      requestedBy: user.userId,
      idempotencyKey: idempotencyKey ?? null,
      timeoutMs: this.timeoutMs,
    });
    if (!created) {
      // A concurrent request with the same key inserted first: answer with its command.
      const winner = await this.commands.findByKey(user.organizationId, idempotencyKey!);
      return this.replay(winner!, target, action, idempotencyKey!);
    }
    this.events.publish(created);
    return accepted(await this.send(created, target));
  }

  async get(organizationId: string, commandId: string): Promise<CommandView> {
    const command = await this.commands.find(organizationId, commandId);
    if (!command) throw new NotFoundException('Command not found');
    return toCommandView(command);
  }

  async listForHost(organizationId: string, hostId: string, status: CommandStatus | undefined, limit: number): Promise<CommandView[]> {
    await requireHost(this.access, organizationId, hostId);
    return (await this.commands.listForHost(organizationId, hostId, status, limit)).map(toCommandView);
  }

  /** Marks commands past their deadline `timeout` and announces each; returns how many. */
  async expireOverdue(): Promise<number> {
    const expired = await this.commands.expireOverdue();
    for (const command of expired) this.events.publish(command);
    return expired.length;
  }

  private async send(command: CommandRow, target: ActionTarget): Promise<CommandView> {
    // Marked sent before the frame leaves, so even the fastest agent's result comes after `sent`.
    const sent = await this.commands.markSent(command.id);
    if (!sent) return this.get(command.organization_id, command.id);
    const view = this.events.publish(sent);
    const delivered = await this.connections.deliver(target.hostId, {
      type: 'command',
      commandId: command.id,
      action: command.action,
      containerId: target.dockerId,
      timeoutMs: command.timeout_ms,
    });
    if (delivered) return view;
    // The socket closed between the check and the send (or its instance died): the command cannot run, say so now.
    const { changed } = await this.commands.finish(target.hostId, command.id, 'failed', `Agent of host ${target.hostId} disconnected before the command was sent`);
    if (changed) this.events.publish(changed);
    throw new ConflictException({ statusCode: 409, message: `Agent of host ${target.hostId} is offline`, error: 'Conflict', commandId: command.id });
  }

  private replay(earlier: CommandRow, target: ActionTarget, action: CommandAction, idempotencyKey: string): AcceptedCommand {
    if (earlier.container_id !== target.id || earlier.action !== action) {
      throw new ConflictException(
        `Idempotency-Key "${idempotencyKey}" was already used for another request (${earlier.action} of container ${earlier.container_id})`,
      );
    }
    return accepted(toCommandView(earlier));
  }
}

const accepted = (view: CommandView): AcceptedCommand => ({ commandId: view.id, ...view });
