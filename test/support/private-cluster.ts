import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { scratchDir } from './server-process.js';

const PREFIX = 'dp_faults_';
const COMMAND_TIMEOUT_MS = 60_000;

/** A TCP port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a cluster command without blocking the event loop (agents keep talking meanwhile). Output
 * goes to `logFile`, not a pipe: a postmaster started by it inherits the descriptors, and a pipe
 * would stay open as long as the server runs. Resolves with the exit status.
 */
function run(command: string, args: string[], logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = execFile('sh', ['-c', `exec "$0" "$@" >>"${logFile}" 2>&1 </dev/null`, command, ...args], { timeout: COMMAND_TIMEOUT_MS });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

async function mustRun(command: string, args: string[], logFile: string, okStatuses = [0]): Promise<void> {
  const status = await run(command, args, logFile);
  if (!okStatuses.includes(status)) throw new Error(`${command} ${args.join(' ')} exited with ${status}:\n${readFileSync(logFile, 'utf8').slice(-2_000)}`);
}

function installedMajor(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  if (versions.length === 0) throw new Error(`No PostgreSQL server under ${root}: the fault suite needs Debian's postgresql packages (pg_createcluster)`);
  return versions.sort((a, b) => Number(b) - Number(a))[0];
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops clusters left by runs that died before their cleanup (their creator's pid is in the name). */
function dropAbandoned(major: string): void {
  const listing = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  for (const line of (listing.stdout ?? '').split('\n')) {
    const [version, name] = line.trim().split(/\s+/);
    const owner = new RegExp(`^${PREFIX}(\\d+)_`).exec(name ?? '');
    if (version === major && owner && !isAlive(Number(owner[1]))) spawnSync('pg_dropcluster', ['--stop', version, name], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
  }
}

/**
 * A PostgreSQL cluster of this test run alone (Debian's pg_createcluster, trust auth, its own
 * port), so a test may stop and start its server without touching anyone else's database.
 */
export class PrivateCluster {
  private dropped = false;

  private constructor(
    readonly major: string,
    readonly name: string,
    readonly port: number,
    private readonly logFile: string,
  ) {}

  /** Whether this machine can host one: Debian's cluster tools and root, as CI has. */
  static available(): boolean {
    return process.getuid?.() === 0 && existsSync('/usr/bin/pg_createcluster') && existsSync('/usr/lib/postgresql');
  }

  static async create(): Promise<PrivateCluster> {
    const major = installedMajor();
    dropAbandoned(major);
    const name = `${PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const port = await freePort();
    const logFile = join(scratchDir('cluster-'), 'commands.log');
    await mustRun('pg_createcluster', [major, name, '-p', String(port), '--', '--auth=trust'], logFile);
    const cluster = new PrivateCluster(major, name, port, logFile);
    try {
      await cluster.start();
    } catch (error) {
      await cluster.drop();
      throw error;
    }
    return cluster;
  }

  /** A connection string for `database` on this cluster. */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates a database on this cluster and returns its connection string. */
  async createDatabase(name: string): Promise<string> {
    await mustRun('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-qc', `CREATE DATABASE "${name}"`], this.logFile);
    return this.url(name);
  }

  /** Starts the server; fine when it already runs (pg_ctlcluster's status 2). */
  start(): Promise<void> {
    return mustRun('pg_ctlcluster', ['--skip-systemctl-redirect', this.major, this.name, 'start'], this.logFile, [0, 2]);
  }

  /** Fast shutdown: open connections are cut, as when a database server goes away. */
  stop(): Promise<void> {
    return mustRun('pg_ctlcluster', ['--skip-systemctl-redirect', this.major, this.name, 'stop', '-m', 'fast'], this.logFile);
  }

  /** Hanging: the postmaster and every backend stopped (SIGSTOP), so connections stay open and nothing answers. */
  freeze(): void {
    this.signalAll('STOP');
  }

  thaw(): void {
    this.signalAll('CONT');
  }

  private signalAll(signal: 'STOP' | 'CONT'): void {
    const pidFile = `/var/lib/postgresql/${this.major}/${this.name}/postmaster.pid`;
    if (!existsSync(pidFile)) return;
    const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0].trim();
    const children = spawnSync('pgrep', ['-P', postmaster], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    // The postmaster first when stopping (no new backends), last when resuming.
    const pids = signal === 'STOP' ? [postmaster, ...children] : [...children, postmaster];
    for (const pid of pids) spawnSync('kill', [`-${signal}`, pid], { stdio: 'ignore' });
  }

  /** Stops the server and deletes the cluster (data, configuration, log); safe to call twice. */
  async drop(): Promise<void> {
    if (this.dropped) return;
    this.dropped = true;
    this.thaw();
    await mustRun('pg_dropcluster', ['--stop', this.major, this.name], this.logFile);
  }
}
