import { randomBytes, randomInt } from 'node:crypto';

/** A fresh full-length Docker id (64 lowercase hex). */
export const dockerId = (): string => randomBytes(32).toString('hex');

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];

export const between = (min: number, max: number): number => min + Math.random() * (max - min);

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * One step of a mean-reverting random walk: drifts back towards `mean` and jitters by `spread`
 * (a fraction of the mean), so series look alive without wandering off to absurd values.
 */
export function walk(value: number, mean: number, spread: number, min: number, max: number): number {
  return clamp(value + (mean - value) * 0.1 + (Math.random() - 0.5) * 2 * spread * mean, min, max);
}

/** RFC 3339 with nanoseconds, as Docker stamps log lines: `2026-01-02T03:04:05.123456789Z`. */
export function rfc3339Nanos(ms: number, subMillisecondNanos: number): string {
  const iso = new Date(ms).toISOString();
  const nanos = (ms % 1000) * 1_000_000 + subMillisecondNanos;
  return `${iso.slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`;
}
