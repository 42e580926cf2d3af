import { Global, Module } from '@nestjs/common';
import { ConnectionLedger } from './connection-ledger.js';
import { ConnectionLedgerRepository } from './connection-ledger.repository.js';
import { GapLedgerRetention } from './gap-ledger.retention.js';
import { InstanceId } from './instance-id.js';
import { LedgerClock } from './ledger-clock.js';
import { RefusalLedger } from './refusal-ledger.js';
import { RefusalLedgerRepository } from './refusal-ledger.repository.js';

/**
 * What explains a minute without data: agent connections (with the instance that held them) and
 * refused frames. Written by the agent transport and the frame processor, read by the gaps.
 */
@Global()
@Module({
  providers: [InstanceId, LedgerClock, ConnectionLedger, ConnectionLedgerRepository, RefusalLedger, RefusalLedgerRepository, GapLedgerRetention],
  exports: [InstanceId, LedgerClock, ConnectionLedger, ConnectionLedgerRepository, RefusalLedger, RefusalLedgerRepository, GapLedgerRetention],
})
export class GapLedgerModule {}
