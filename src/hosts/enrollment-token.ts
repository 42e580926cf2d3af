import { createHash, randomBytes } from 'node:crypto';

/** A fresh enrollment token (shown once) and the hash that is stored instead of it. */
export function newEnrollmentToken(): { token: string; hash: string } {
  const token = `dpe_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashEnrollmentToken(token) };
}

/** 256 random bits need no slow KDF: sha256 is enough to make a stolen table useless. */
export function hashEnrollmentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
