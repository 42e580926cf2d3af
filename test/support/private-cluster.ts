import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A PostgreSQL cluster of its own for fault tests (Debian's pg_createcluster, on a free port):
 * stopped, frozen or dropped without touching the shared server. Only where the tools exist and
 * may be run (as root here); `available()` says so.
 */
export class PrivateCluster {
  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static available(): boolean {
    return process.getuid?.() === 0 && existsSync('/usr/bin/pg_createcluster') && existsSync('/usr/lib/postgresql/15/bin/postgres');
  }

  static async create(): Promise<PrivateCluster> {
    const port = await freePort();
    const name = `dp_test_${process.pid}_${port}`;
    // Durability settings off: a throwaway cluster, and the machine is shared.
    run('pg_createcluster', ['15', name, '-p', String(port), '--start', '--start-conf=manual', '-o', 'fsync=off', '-o', 'synchronous_commit=off', '-o', 'full_page_writes=off', '--', '--auth=trust']);
    return new PrivateCluster(name, port);
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  createDatabase(name: string): string {
    run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-qc', `CREATE DATABASE "${name}"`]);
    return this.url(name);
  }

  start(): void {
    const { status } = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', this.name, 'start'], { stdio: 'ignore' });
    if (status !== 0 && status !== 2) throw new Error(`pg_ctlcluster start ${this.name} exited with ${status}`);
  }

  /** Down: connections are cut and new ones refused. */
  stop(): void {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', '15', this.name, 'stop', '-m', 'immediate']);
  }

  /** Hanging: the server and every backend are stopped (SIGSTOP), so connections stay open and nothing answers. */
  freeze(): void {
    this.signalAll('STOP');
  }

  thaw(): void {
    this.signalAll('CONT');
  }

  drop(): void {
    this.thaw();
    spawnSync('pg_dropcluster', ['15', this.name, '--stop'], { stdio: 'ignore' });
  }

  private signalAll(signal: 'STOP' | 'CONT'): void {
    const pidFile = `/var/lib/postgresql/15/${this.name}/postmaster.pid`;
    if (!existsSync(pidFile)) return;
    const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0].trim();
    const children = spawnSync('pgrep', ['-P', postmaster], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    // The postmaster first when stopping (no new backends), last when resuming.
    const pids = signal === 'STOP' ? [postmaster, ...children] : [...children, postmaster];
    for (const pid of pids) spawnSync('kill', [`-${signal}`, pid], { stdio: 'ignore' });
  }
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A TCP port nothing listens on right now. */
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
