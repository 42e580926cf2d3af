import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What enrollment gave this host; kept in <state-dir>/agent.json, readable by its owner only. */
export interface AgentIdentity {
  hostId: string;
  agentToken: string;
  server: string;
  enrolledAt: string;
}

/** The agent's state directory: identity, log cursors, and the spool beside them. */
export class StateDir {
  constructor(readonly dir: string) {}

  get spoolDir(): string {
    return join(this.dir, 'spool');
  }

  async ensure(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /**
   * Claims the directory for this process: two agents sharing one spool and token would resend
   * each other's frames and keep replacing each other's connection (4001). A lock left by a dead
   * process, or by this very pid (a container restarted as PID 1 again), is taken over.
   */
  async lock(): Promise<void> {
    const path = join(this.dir, 'agent.pid');
    const holder = Number(await readFile(path, 'utf8').catch(() => ''));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`Another agent (pid ${holder}) is using ${this.dir}; stop it first or use another --state-dir`);
    }
    await writeFile(path, String(process.pid), { mode: 0o600 });
  }

  async unlock(): Promise<void> {
    await unlink(join(this.dir, 'agent.pid')).catch(() => undefined);
  }

  async readIdentity(): Promise<AgentIdentity | undefined> {
    const identity = await this.readJson<AgentIdentity>('agent.json');
    if (identity && (typeof identity.agentToken !== 'string' || typeof identity.hostId !== 'string')) {
      throw new Error(`${join(this.dir, 'agent.json')} has no agentToken/hostId; move it away to enroll again`);
    }
    return identity;
  }

  writeIdentity(identity: AgentIdentity): Promise<void> {
    return this.writeJson('agent.json', identity, 0o600);
  }

  readJson<T>(name: string): Promise<T | undefined> {
    const path = join(this.dir, name);
    return readFile(path, 'utf8').then(
      (text) => {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new Error(`${path} is not valid JSON`);
        }
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
  }

  /** Write-then-rename, so a crash mid-write never leaves a half file where a good one was. */
  async writeJson(name: string, value: unknown, mode = 0o600): Promise<void> {
    const path = join(this.dir, name);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(value, null, 2), { mode });
    await chmod(temp, mode); // writeFile's mode is filtered by the umask
    await rename(temp, path);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
