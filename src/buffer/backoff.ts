const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/** Backoff after `failures` consecutive failed flushes (1 or more): 100 ms doubling, capped at 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

/** ±20% so that kinds (and API instances) failing together do not retry in lockstep. */
export function jittered(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}
