import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `work` every `ms` as the registry's interval `name`, listed with every other schedule and
 * cleared at shutdown at the latest. Unref'd: a schedule alone never keeps the process up.
 */
export function startInterval(registry: SchedulerRegistry, name: string, ms: number, work: () => void): void {
  const timer = setInterval(work, ms);
  timer.unref();
  registry.addInterval(name, timer);
}

/** Stops the interval `name` if it runs: a destroy hook may come without its start (unit specs) or after shutdown cleared it. */
export function stopInterval(registry: SchedulerRegistry, name: string): void {
  if (registry.doesExist('interval', name)) registry.deleteInterval(name);
}
