import type { Log } from '../../src/log.js';

/** Collects the agent's log lines; AGENT_LOG=1 echoes them. */
export function captureLog(prefix: string): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
    if (process.env.AGENT_LOG) console.log(`[${prefix}] ${level} ${message}`);
  };
  return { lines, log: { debug: put('DEBUG'), info: put('INFO'), warn: put('WARN'), error: put('ERROR') } };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
