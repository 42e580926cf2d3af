import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
  await app.listen(env.PORT, env.HOST);
  new Logger('DockPulse').log(`Listening on http://${env.HOST}:${env.PORT} (API under /api)`);
}

try {
  await bootstrap(validateEnvironment(process.env));
} catch (error) {
  // A configuration error is the operator's to fix: print just what is wrong, no stack.
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
