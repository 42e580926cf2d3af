/**
 * Full-jitter exponential backoff: after the n-th failed attempt, a delay drawn uniformly from
 * [0, min(max, base·2^(n-1))]. The jitter spreads the retries of many notifications that failed
 * together (a receiver's outage) instead of sending them back in one wave.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 52));
  return Math.round(random() * ceiling);
}
