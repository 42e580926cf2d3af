import type { CommandFrame, CommandResult } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import type { Delivery } from './delivery.js';
import { errorText, type Log } from './log.js';

const ACTIONS = new Set(['start', 'stop', 'restart']);

/**
 * Runs the server's container commands through the Engine and answers each with `command_result`
 * (spooled like any frame, so a result survives a dropped connection). A command id seen before is
 * not run twice.
 */
export class CommandRunner {
  private readonly seen = new Set<string>();

  constructor(
    private readonly docker: Docker | undefined,
    private readonly dockerHost: string,
    private readonly delivery: Delivery,
    private readonly log: Log,
  ) {}

  handle(command: CommandFrame): void {
    if (this.seen.has(command.commandId)) return;
    this.seen.add(command.commandId);
    void this.run(command)
      .then((result) => {
        this.log[result.status === 'succeeded' ? 'info' : 'warn'](`Command ${command.commandId}: ${command.action} ${String(command.containerId).slice(0, 12)} ${result.status}: ${result.message}`);
        return this.delivery.enqueueOne('command_result', { ...result });
      })
      .catch((error: unknown) => this.log.error(`Could not record the result of command ${command.commandId}: ${errorText(error)}`));
  }

  private async run(command: CommandFrame): Promise<CommandResult> {
    const result = (status: CommandResult['status'], message: string): CommandResult => ({ commandId: command.commandId, status, message });
    if (!ACTIONS.has(command.action)) return result('failed', `Unknown action "${command.action}" (this agent knows start, stop, restart)`);
    if (!this.docker) return result('failed', `Docker is not available on this host (nothing at ${this.dockerHost})`);
    const container = this.docker.getContainer(command.containerId);
    // Docker's stop grace period: half the command's budget (at most Docker's own 10 s default),
    // leaving the rest for the kill and, on restart, the start.
    const t = Math.max(1, Math.min(10, Math.floor((command.timeoutMs || 20_000) / 2000)));
    try {
      if (command.action === 'start') await container.start();
      else if (command.action === 'stop') await container.stop({ t });
      else await container.restart({ t });
      return result('succeeded', `${command.action === 'stop' ? 'stopped' : command.action === 'start' ? 'started' : 'restarted'}`);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 304: already in the requested state, which is what was asked for.
      if (status === 304) return result('succeeded', `already ${command.action === 'stop' ? 'stopped' : 'running'}`);
      const json = (error as { json?: { message?: string } }).json;
      return result('failed', (json?.message ?? errorText(error)).slice(0, 4000));
    }
  }
}
