import { Global, Module } from '@nestjs/common';
import { ConnectionLedger } from './connection-ledger.js';
import { ConnectionLedgerRepository } from './connection-ledger.repository.js';
import { GapLedgerRetention } from './gap-ledger.retention.js';
import { InstanceId } from './instance-id.js';
import { LedgerClock } from './ledger-clock.js';
import { PresenceLedger } from './presence-ledger.js';
import { PresenceLedgerRepository } from './presence-ledger.repository.js';
import { RefusalLedger } from './refusal-ledger.js';
import { RefusalLedgerRepository } from './refusal-ledger.repository.js';

/**
 * Which minutes have data (from committed rows), and what explains one without: agent connections
 * (with the instance that held them) and refused frames. Written by the agent transport, the frame
 * processor and the gaps' presence recorder; read by the gaps.
 */
@Global()
@Module({
  providers: [InstanceId, LedgerClock, ConnectionLedger, ConnectionLedgerRepository, RefusalLedger, RefusalLedgerRepository, PresenceLedger, PresenceLedgerRepository, GapLedgerRetention],
  exports: [InstanceId, LedgerClock, ConnectionLedger, ConnectionLedgerRepository, RefusalLedger, RefusalLedgerRepository, PresenceLedger, PresenceLedgerRepository, GapLedgerRetention],
})
export class GapLedgerModule {}
