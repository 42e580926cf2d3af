import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `configured` when set; otherwise a secret generated once and kept in `DATA_DIR/<file>`, so it
 * survives restarts without any setup. Several instances must share the variable instead (hence the warning).
 */
export function resolveStoredSecret(configured: string | undefined, dataDir: string, file: string, variable: string): string {
  if (configured) return configured;
  const path = join(dataDir, file);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  try {
    writeFileSync(path, generated, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw error;
  }
  new Logger('Config').warn(`${variable} is not set: generated one and stored it in ${path}. Set ${variable} when running several instances.`);
  return generated;
}

/** JWT_SECRET when set; otherwise generated once into DATA_DIR/jwt-secret. */
export function resolveJwtSecret(secret: string | undefined, dataDir: string): string {
  return resolveStoredSecret(secret, dataDir, 'jwt-secret', 'JWT_SECRET');
}

/** NOTIFY_SECRET_KEY when set; otherwise generated once into DATA_DIR/notify-secret-key. */
export function resolveNotifySecretKey(key: string | undefined, dataDir: string): string {
  return resolveStoredSecret(key, dataDir, 'notify-secret-key', 'NOTIFY_SECRET_KEY');
}
