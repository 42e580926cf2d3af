import { errorText, type Log } from './log.js';

export interface Task {
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs`, counted from the start of each run, so the time a
 * run takes does not stretch the interval. Runs never overlap: one that overruns is followed at
 * once by the next, so a slow Docker daemon delays samples instead of piling requests on it. A
 * failure is logged once, not on every tick, until the task succeeds again.
 */
export function every(name: string, intervalMs: number, work: () => Promise<void>, log: Log): Task {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let failing: string | undefined;
  const tick = () => {
    const startedAt = Date.now();
    running = work().then(
      () => {
        if (failing) log.info(`${name}: working again`);
        failing = undefined;
      },
      (error: unknown) => {
        const message = errorText(error);
        if (message !== failing) log.warn(`${name} failed: ${message}${failing ? '' : ' (repeats are not logged until it recovers)'}`);
        failing = message;
      },
    );
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, Math.max(0, startedAt + intervalMs - Date.now()));
    });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
