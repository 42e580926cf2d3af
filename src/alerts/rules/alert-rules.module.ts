import { Module } from '@nestjs/common';
import { RuleChanges } from './rule-changes.js';

/** Alert rules and silences: their REST API and storage. */
@Module({
  providers: [RuleChanges],
  exports: [RuleChanges],
})
export class AlertRulesModule {}
