import type { ProcessInfo } from '@dockpulse/protocol';
import { readdir, readFile, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';

/** Kernel clock ticks per second: 100 on every mainstream Linux build (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

interface Sample {
  ticks: number;
  at: number;
}

/**
 * Process snapshots from /proc, which alone gives everything the contract asks (threads included)
 * without spawning `ps`. CPU% is per one CPU, like top: the delta since the previous snapshot, or
 * the lifetime average (as ps shows) the first time a process is seen.
 */
export class ProcessCollector {
  private previous = new Map<number, Sample>();
  private users?: Map<number, string>;

  constructor(private readonly procDir: string) {}

  async snapshot(): Promise<ProcessInfo[]> {
    const users = (this.users ??= await readUsers());
    const uptime = Number((await readFile(join(this.procDir, 'uptime'), 'utf8')).split(' ')[0]);
    const memoryTotal = totalmem();
    const now = Date.now();
    const next = new Map<number, Sample>();
    const result: ProcessInfo[] = [];
    for (const name of await readdir(this.procDir)) {
      if (!/^\d+$/.test(name)) continue;
      // A process may exit between readdir and read: skip it.
      const info = await this.read(Number(name), users, uptime, memoryTotal, now, next).catch(() => undefined);
      if (info) result.push(info);
    }
    this.previous = next;
    return result;
  }

  private async read(pid: number, users: Map<number, string>, uptime: number, memoryTotal: number, now: number, next: Map<number, Sample>): Promise<ProcessInfo> {
    const dir = join(this.procDir, String(pid));
    const [statText, statusText, cmdline, owner] = await Promise.all([
      readFile(join(dir, 'stat'), 'utf8'),
      readFile(join(dir, 'status'), 'utf8'),
      readFile(join(dir, 'cmdline'), 'utf8'),
      stat(dir),
    ]);
    // `comm` may itself contain spaces and parentheses: the fields start after the last ')'.
    const close = statText.lastIndexOf(')');
    const comm = statText.slice(statText.indexOf('(') + 1, close);
    const fields = statText.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const startedSecondsAgo = uptime - Number(fields[19]) / CLOCK_TICKS;
    const before = this.previous.get(pid);
    const seconds = before ? (now - before.at) / 1000 : startedSecondsAgo;
    const used = before ? ticks - before.ticks : ticks;
    next.set(pid, { ticks, at: now });
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(statusText)?.[1] ?? 0);
    const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(statusText)?.[1] ?? owner.uid);
    const command = cmdline.replaceAll('\0', ' ').trim() || `[${comm}]`;
    return {
      pid,
      ppid: Number(fields[1]),
      name: comm.slice(0, 255),
      command: command.slice(0, 4096),
      user: (users.get(uid) ?? String(uid)).slice(0, 255),
      cpuPercent: seconds > 0 ? Math.min(100_000, Math.max(0, round2((used / CLOCK_TICKS / seconds) * 100))) : 0,
      memoryRss: rssKb * 1024,
      memoryPercent: Math.min(100, round2(((rssKb * 1024) / memoryTotal) * 100)),
      threads: Number(fields[17]) || Number(/^Threads:\s+(\d+)/m.exec(statusText)?.[1] ?? 1),
      state: fields[0],
    };
  }
}

/** uid → name from /etc/passwd (read once; unknown uids are reported as numbers). */
async function readUsers(): Promise<Map<number, string>> {
  const users = new Map<number, string>();
  const text = await readFile('/etc/passwd', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined) users.set(Number(uid), name);
  }
  return users;
}

const round2 = (n: number) => Math.round((Number.isFinite(n) ? n : 0) * 100) / 100;
