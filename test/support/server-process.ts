import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_JWT_SECRET = 'fault-suite-secret-that-is-long-enough-for-hs256';

/** A fresh directory under this run's scratch space (test-app.ts has the same, but importing it compiles the whole app). */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(process.env.DOCKPULSE_TEST_TMP ?? tmpdir(), prefix));
}

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** `npm run build` when dist/ is missing or older than the sources (the rule of scripts/start.mjs). */
export function ensureBuilt(timeoutMs: number): void {
  const built = newestMtime('dist/main.js');
  const sources = Math.max(newestMtime('src'), newestMtime('packages/protocol/src'), newestMtime('prisma'), newestMtime('package.json'));
  if (built && built >= sources) return;
  const result = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.error?.message ?? `status ${result.status}`}):\n${`${result.stdout}${result.stderr}`.slice(-3_000)}`);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** The built server (`node dist/main.js`) as a child process, its output in a file. */
export class ServerProcess {
  readonly exited: Promise<Exit>;
  /** Milliseconds from spawn to the first 200 of /api/ready. */
  readyMs = 0;
  private exit?: Exit;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: performance.now() };
        resolve(this.exit);
      }),
    );
  }

  /** Starts on `port` with `env` over the defaults below; resolves once /api/ready answers 200. */
  static async start(port: number, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServerProcess> {
    const logFile = join(scratchDir('server-'), 'server.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: SERVER_JWT_SECRET,
        // Set like JWT_SECRET: several servers of one suite form one deployment, each with its own DATA_DIR.
        NOTIFY_SECRET_KEY: `${SERVER_JWT_SECRET}-notify`,
        LOG_LEVEL: 'warn',
        DATA_DIR: scratchDir('server-data-'),
        RETENTION_CRON: '0 0 1 1 *',
        ...env,
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`, logFile);
    const spawnedAt = performance.now();
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline && !server.exit) {
      try {
        if ((await fetch(`${server.baseUrl}/api/ready`)).ok) {
          server.readyMs = Math.round(performance.now() - spawnedAt);
          return server;
        }
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await server.kill();
    throw new Error(`Server did not become ready within ${readyTimeoutMs} ms:\n${server.logTail()}`);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return !this.exit;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the exit, or with undefined if the process is still running after `ms`. */
  async exitWithin(ms: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL unless it has already exited; for cleanup. */
  async kill(): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  logTail(chars = 3_000): string {
    return readFileSync(this.logFile, 'utf8').slice(-chars);
  }
}
