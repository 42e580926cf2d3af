import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Environment } from './environment.js';
import { Retention } from './retention.js';

/** The typed view of the validated environment; read with `getOrThrow(KEY, { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

@Module({})
class AppConfigModule {}

/** The one configuration source: the already validated environment, never raw process.env. */
export function configModule(env: Environment): DynamicModule {
  return {
    module: AppConfigModule,
    global: true,
    imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] })],
    providers: [Retention],
    exports: [Retention],
  };
}
