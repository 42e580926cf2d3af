import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exitWithinShutdownTimeout, ShutdownDeadline } from './agent/shutdown-deadline.js';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { createAppLogger } from './common/app-logger.js';
import { ConfigurationError, validateEnvironment, type Environment } from './config/environment.js';

async function bootstrap(env: Environment): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(env), {
    logger: createAppLogger(env),
    abortOnError: false,
  });
  configureApp(app);
  const logger = new Logger('DockPulse');
  exitWithinShutdownTimeout(app.get(ShutdownDeadline), () =>
    logger.error(`Shutdown still running after SHUTDOWN_TIMEOUT (${env.SHUTDOWN_TIMEOUT}); exiting. Frames not committed by now were not acknowledged.`),
  );
  await app.listen(env.PORT, env.HOST);
  logger.log(`Listening on http://${env.HOST}:${env.PORT} (API under /api)`);
}

try {
  await bootstrap(validateEnvironment(process.env));
} catch (error) {
  // A configuration error is the operator's to fix: print just what is wrong, no stack.
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
