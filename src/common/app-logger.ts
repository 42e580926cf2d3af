import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { Environment } from '../config/environment.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest's own ConsoleLogger in the format LOG_FORMAT asks for: `json` (one object a line, for log
 * collectors) or `pretty`; unset, pretty on a terminal and JSON otherwise. Colours only on a
 * terminal, and never with NO_COLOR.
 */
export function createAppLogger(
  env: Pick<Environment, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  { terminal = Boolean(process.stdout.isTTY) }: { terminal?: boolean } = {},
): ConsoleLogger {
  const json = (env.LOG_FORMAT ?? (terminal ? 'pretty' : 'json')) === 'json';
  return new ConsoleLogger({
    json,
    colors: !json && terminal && !process.env.NO_COLOR,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1),
  });
}
