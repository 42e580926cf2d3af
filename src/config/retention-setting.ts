import { parseDuration } from './duration.js';

/**
 * How long one kind of data is kept, declared by the folder that owns the data. Environment
 * validation reads every declared setting, so a new kind's `RETENTION_<KIND>` is checked at
 * start-up like the built-in variables.
 */
export interface RetentionSetting {
  /** Its key in storage health's `retention` object, e.g. `metrics`. */
  name: string;
  variable: `RETENTION_${string}`;
  default: string;
}

/** What validation derived from a setting: the configured text and its length in milliseconds. */
export interface RetentionValue {
  duration: string;
  ms: number;
}

const SETTINGS = new Map<string, RetentionSetting>();

/** Declares a setting (at import time); declaring the same one again returns it. */
export function defineRetention(setting: RetentionSetting): RetentionSetting {
  const existing = SETTINGS.get(setting.name);
  if (existing) {
    if (existing.variable !== setting.variable || existing.default !== setting.default) {
      throw new Error(`Retention "${setting.name}" is already declared as ${existing.variable}=${existing.default}`);
    }
    return existing;
  }
  if (parseDuration(setting.default) === undefined) throw new Error(`${setting.variable}: default ${setting.default} is not a duration`);
  SETTINGS.set(setting.name, setting);
  return setting;
}

export function retentionSettings(): RetentionSetting[] {
  return [...SETTINGS.values()];
}
