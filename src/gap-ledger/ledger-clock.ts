import { Injectable } from '@nestjs/common';

/** The time the gap ledger stamps its rows with; specs replace `now` to record the past. */
@Injectable()
export class LedgerClock {
  now(): number {
    return Date.now();
  }
}
