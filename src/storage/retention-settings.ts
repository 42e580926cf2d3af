import type { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';

/** Every retention setting, by the kind of data it bounds (`RETENTION_LOGS` → `logs`). */
export const RETENTION_SETTINGS = {
  metrics: 'RETENTION_METRICS',
  logs: 'RETENTION_LOGS',
  processes: 'RETENTION_PROCESSES',
  rollups: 'RETENTION_ROLLUPS',
  commands: 'RETENTION_COMMANDS',
} as const satisfies Record<string, keyof Environment>;

/** kind → duration as configured, e.g. `{metrics: '24h', …}`. */
export function retentionDurations(config: ConfigService<Environment, true>): Record<string, string> {
  return Object.fromEntries(Object.entries(RETENTION_SETTINGS).map(([kind, key]) => [kind, config.getOrThrow(key, { infer: true })]));
}
