import { Module } from '@nestjs/common';
import { OutboxModule } from './outbox/outbox.module.js';
import { AlertRulesModule } from './rules/alert-rules.module.js';

/** Alerts: rules evaluated on the accepted stream, their lifecycle, and notifications. */
@Module({
  imports: [AlertRulesModule, OutboxModule],
})
export class AlertsModule {}
