import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './test-app.js';

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

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr ?? ''}${result.stdout ?? ''}`.trim());
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

  static async create(): Promise<PrivateCluster> {
    const major = installedMajor();
    dropAbandoned(major);
    const name = `${PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const port = await freePort();
    run('pg_createcluster', [major, name, '-p', String(port), '--', '--auth=trust']);
    const cluster = new PrivateCluster(major, name, port, join(tempDir('cluster-'), 'pg_ctlcluster.log'));
    try {
      cluster.start();
    } catch (error) {
      cluster.drop();
      throw error;
    }
    return cluster;
  }

  /** A connection string for `database` on this cluster. */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server; fine when it already runs (pg_ctlcluster's status 2). */
  start(): void {
    // The postmaster inherits stdout/stderr: a pipe would keep spawnSync waiting for it, so a file.
    const fd = openSync(this.logFile, 'a');
    try {
      const result = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', this.major, this.name, 'start'], { stdio: ['ignore', fd, fd], timeout: COMMAND_TIMEOUT_MS });
      if (result.status !== 0 && result.status !== 2) {
        throw new Error(`pg_ctlcluster start ${this.name} exited with ${result.status ?? result.error?.message}:\n${readFileSync(this.logFile, 'utf8').slice(-2_000)}`);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Fast shutdown: open connections are cut, as when a database server goes away. */
  stop(): void {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', this.major, this.name, 'stop', '-m', 'fast']);
  }

  /** Stops the server and deletes the cluster (data, configuration, log); safe to call twice. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    run('pg_dropcluster', ['--stop', this.major, this.name]);
  }
}
