import { ConfigModule, ConfigService } from '@nestjs/config';
import { Environment } from './environment.js';

/** The typed view of the validated environment; read with `getOrThrow(KEY, { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

/** The one configuration source: the already validated environment, never raw process.env. */
export function configModule(env: Environment) {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    skipProcessEnv: true,
    load: [() => ({ ...env })],
  });
}
