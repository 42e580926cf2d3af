/** One timestamped line per event; the agent is usually read through `journalctl` or `docker logs`. */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLog(verbose = false): Log {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level.padEnd(5)} ${message}`;
  return {
    debug: (message) => verbose && console.log(line('DEBUG', message)),
    info: (message) => console.log(line('INFO', message)),
    warn: (message) => console.error(line('WARN', message)),
    error: (message) => console.error(line('ERROR', message)),
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
