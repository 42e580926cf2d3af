import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who this running instance is, in the gap ledger: host name, pid and a fresh suffix, so a restart
 * is a new instance and its predecessor's open connections end by staleness, not by a guess.
 * A provider rather than a constant: two applications in one process (specs) are two instances.
 */
@Injectable()
export class InstanceId {
  readonly value = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}
