import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { validateEnvironment } from '../../src/config/environment.js';
import { SqlClient } from '../../src/database/sql-client.js';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:<port>, for raw sockets and clients other than supertest. */
  baseUrl: string;
  http: () => ReturnType<typeof request>;
  sql: SqlClient;
  dataDir: string;
  close: () => Promise<void>;
}

/** A fresh temporary directory under this run's scratch space. */
export function tempDir(prefix = 'data-'): string {
  return mkdtempSync(join(process.env.DOCKPULSE_TEST_TMP ?? '/tmp', prefix));
}

/** Seeds a new embedded database directory from the run's empty cluster (test/setup/global-setup.mjs). */
function seedEmbeddedDatabase(dataDir: string): void {
  const template = process.env.DOCKPULSE_TEST_PGLITE_TEMPLATE;
  const target = join(dataDir, 'pglite');
  if (template && !existsSync(target)) cpSync(template, target, { recursive: true });
}

/**
 * Boots the real application on a random port: the run's fresh PostgreSQL database when
 * DATABASE_URL is set, otherwise an embedded database in its own directory (or `dataDir`).
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = overrides.DATA_DIR ?? tempDir();
  const env = validateEnvironment({
    DATABASE_URL: process.env.DATABASE_URL,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    LOG_LEVEL: 'warn',
    LOGIN_THROTTLE_LIMIT: '1000',
    // Most specs sign up several organizations; test/signup-modes.e2e-spec.ts covers first-run.
    SIGNUP_ENABLED: 'true',
    // Retention runs when a spec asks for it, never in the middle of another spec's setup.
    RETENTION_CRON: '0 0 1 1 *',
    ...overrides,
    DATA_DIR: dataDir,
  });
  if (!env.DATABASE_URL && !dataDir.startsWith('memory://')) seedEmbeddedDatabase(dataDir);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const server = app.getHttpServer();
  return {
    app,
    baseUrl,
    http: () => request(server),
    sql: app.get(SqlClient),
    dataDir,
    close: () => app.close(),
  };
}
