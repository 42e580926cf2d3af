import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from './environment.js';
import type { RetentionSetting } from './retention-setting.js';

/** The declared retentions as validated: milliseconds for code, the configured text for people. */
@Injectable()
export class Retention {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  ms(setting: RetentionSetting): number {
    const value = this.config.getOrThrow('retention', { infer: true })[setting.name];
    if (!value) throw new Error(`Retention "${setting.name}" was declared after the configuration was validated`);
    return value.ms;
  }

  /** name → duration as configured, e.g. `{metrics: '24h', …}` (storage health). */
  durations(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.config.getOrThrow('retention', { infer: true })).map(([name, value]) => [name, value.duration]));
  }
}
