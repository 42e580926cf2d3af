import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHmac } from 'node:crypto';
import { defineScript } from './redis-script.js';

/** A live instance renews its fingerprints this often; one that stopped leaves them to expire. */
const RENEW_MS = 30_000;
const EXPIRE_MS = 3 * RENEW_MS;

/** Claims the key for this fingerprint (or renews it) and answers nil; answers the other one when it differs. */
const AGREE = `
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Names a secret without revealing it: an HMAC of a fixed label under the secret, shortened. */
export const fingerprintOf = (name: string, secret: string) => createHmac('sha256', secret).update(`dockpulse:${name}`).digest('hex').slice(0, 16);

/**
 * Several instances on one Redis must share JWT_SECRET and NOTIFY_SECRET_KEY: a token signed by one
 * is refused by another, and a notification claimed by an instance that cannot read its channel
 * fails. Left unset, each instance generates its own into its DATA_DIR. Each instance publishes a
 * fingerprint of each secret and logs an error naming the variable while another instance's differs.
 */
export class SecretAgreement {
  private readonly logger = new Logger('Redis');
  private readonly fingerprints = new Map<string, { mine: string; consequence: string }>();
  private readonly disagreeing = new Set<string>();
  private readonly agree: (...keysThenArgs: (string | number)[]) => Promise<unknown>;
  private timer?: NodeJS.Timeout;

  constructor(
    client: Redis,
    private readonly keyOf: (name: string) => string,
  ) {
    this.agree = defineScript(client, 'dockpulseSecretAgreement', 1, AGREE);
  }

  /** `consequence`: what goes wrong while instances disagree, for the error. */
  add(name: string, secret: string, consequence: string): void {
    this.fingerprints.set(name, { mine: fingerprintOf(name, secret), consequence });
    this.timer ??= setInterval(() => void this.check(), RENEW_MS).unref();
  }

  /** Publishes or renews each fingerprint; answers the names another instance holds differently. Never throws. */
  async check(): Promise<string[]> {
    for (const [name, { mine, consequence }] of this.fingerprints) {
      const theirs = (await this.agree(this.keyOf(`secret-fingerprint:${name}`), mine, EXPIRE_MS).catch(() => null)) as string | null;
      if (!theirs) {
        if (this.disagreeing.delete(name)) this.logger.log(`${name} now agrees with the other instances'`);
      } else if (!this.disagreeing.has(name)) {
        this.disagreeing.add(name);
        this.logger.error(
          `${name} differs from the one another instance on this Redis uses (fingerprint ${mine}, theirs ${theirs}): ` +
            `set the same ${name} on every instance (an unset one is generated per DATA_DIR). ${consequence}`,
        );
      }
    }
    return [...this.disagreeing];
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
