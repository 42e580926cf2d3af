import type Docker from 'dockerode';
import { Backoff, sleep } from '../backoff.js';
import { errorText, type Log } from '../log.js';
import { engineAction, type EngineEventMessage } from './container-events.js';
import type { DockerTrouble } from './docker-trouble.js';

export interface EngineEvent {
  action: string;
  id: string;
  message: EngineEventMessage;
}

/** Events that change what the inventory shows (exec_*, attach, top … do not). Podman says `remove` where Docker says `destroy`. */
const INVENTORY_ACTIONS = /^(create|start|restart|stop|die|kill|destroy|remove|rename|pause|unpause|update|oom|health_status)/;

/**
 * Follows the Engine's /events stream for container events, reconnecting with backoff when it
 * ends; `onSubscribed` (each time the stream is open, the first time too) lets the caller catch up
 * on whatever happened while it was not listening. A failure is logged once until the stream works.
 */
export class DockerEvents {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly docker: Docker,
    private readonly log: Log,
    private readonly onEvent: (event: EngineEvent) => void,
    private readonly onSubscribed: () => void,
    private readonly trouble: DockerTrouble,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(1000, 30_000);
    let failing: string | undefined;
    while (!this.abort.signal.aborted) {
      try {
        const stream = await this.docker.getEvents({ filters: { type: ['container'] }, abortSignal: this.abort.signal } as Docker.GetEventsOptions);
        if (failing) this.log.info('Docker events stream: working again');
        failing = undefined;
        this.onSubscribed();
        await this.consume(stream);
        backoff.reset();
      } catch (error) {
        if (this.abort.signal.aborted) return;
        const message = errorText(error);
        if (!this.trouble.explained(error) && message !== failing) this.log.warn(`Docker events stream failed: ${message} (retrying; repeats are not logged)`);
        failing = message;
      }
      await sleep(backoff.next(), this.abort.signal);
    }
  }

  private consume(stream: NodeJS.ReadableStream): Promise<void> {
    let pending = '';
    return new Promise((resolve, reject) => {
      stream.on('data', (chunk: Buffer | string) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.handle(line);
      });
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
  }

  private handle(line: string): void {
    if (!line.trim()) return;
    try {
      const message = JSON.parse(line) as EngineEventMessage;
      const [action] = engineAction(message);
      const id = message.Actor?.ID ?? message.id;
      if ((message.Type ?? 'container') !== 'container' || !id || !INVENTORY_ACTIONS.test(action)) return;
      this.log.debug(`Docker event: ${action} ${id.slice(0, 12)}`);
      this.onEvent({ action, id, message });
    } catch {
      this.log.debug(`Unreadable Docker event: ${line.slice(0, 200)}`);
    }
  }
}
