import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exitWithinShutdownTimeout, ShutdownDeadline } from './agent/shutdown-deadline.js';
import { AppModule } from './app.module.js';
import { configureApp, DRAINED_SIGNALS } from './app.setup.js';
import { HealthController } from './health/health.controller.js';
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
  if (env.ms.SHUTDOWN_DRAIN) drainBeforeClosing(app, env.ms.SHUTDOWN_DRAIN, logger);
  await app.listen(env.PORT, env.HOST);
  logger.log(`Listening on http://${env.HOST}:${env.PORT} (API under /api)`);
}

/**
 * SIGTERM or SIGINT with SHUTDOWN_DRAIN: /api/ready answers 503 at once while everything keeps
 * serving for the drain, so the load balancer takes the instance out before its agents are asked
 * to leave; then the usual close, and the signal raised again to end the process as Nest does.
 */
function drainBeforeClosing(app: INestApplication, drainMs: number, logger: Logger): void {
  for (const signal of DRAINED_SIGNALS) {
    process.once(signal, () => {
      app.get(HealthController).startDraining();
      logger.log(`${signal}: readiness is down; closing in ${drainMs} ms (SHUTDOWN_DRAIN)`);
      setTimeout(() => {
        void app.close().finally(() => process.kill(process.pid, signal));
      }, drainMs);
    });
  }
}

try {
  await bootstrap(validateEnvironment(process.env));
} catch (error) {
  // A configuration error is the operator's to fix: print just what is wrong, no stack.
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
