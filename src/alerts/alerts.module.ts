import { Module } from '@nestjs/common';
import { AlertEvents } from './alert-events.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsQueryRepository } from './alerts-query.repository.js';
import { AlertsQueryService } from './alerts-query.service.js';
import { AlertLifecycle } from './engine/alert-lifecycle.js';
import { AlertStoreRepository } from './engine/alert-store.repository.js';
import { AlertTicker } from './engine/alert-ticker.js';
import { CrashContextRepository } from './engine/crash-context.repository.js';
import { EngineRepository } from './engine/engine.repository.js';
import { EventEvaluator } from './engine/event-evaluator.js';
import { LogEvaluator } from './engine/log-evaluator.js';
import { MetricEvaluator } from './engine/metric-evaluator.js';
import { PresenceEvaluator } from './engine/presence-evaluator.js';
import { RuleBook } from './engine/rule-book.js';
import { SubjectDirectory } from './engine/subject-directory.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { AlertRulesModule } from './rules/alert-rules.module.js';

/** Alerts: rules evaluated on the accepted stream, their lifecycle, and notifications. */
@Module({
  imports: [AlertRulesModule, OutboxModule],
  controllers: [AlertsController],
  providers: [
    AlertEvents,
    AlertsQueryRepository,
    AlertsQueryService,
    EngineRepository,
    RuleBook,
    SubjectDirectory,
    AlertStoreRepository,
    AlertLifecycle,
    CrashContextRepository,
    MetricEvaluator,
    EventEvaluator,
    LogEvaluator,
    PresenceEvaluator,
    AlertTicker,
  ],
  exports: [AlertStoreRepository, AlertLifecycle, MetricEvaluator, EventEvaluator, LogEvaluator],
})
export class AlertsModule {}
