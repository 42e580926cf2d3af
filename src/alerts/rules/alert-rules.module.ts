import { Module } from '@nestjs/common';
import { SilencesController } from '../silences/silences.controller.js';
import { SilencesRepository } from '../silences/silences.repository.js';
import { SilencesService } from '../silences/silences.service.js';
import { AlertRulesController } from './alert-rules.controller.js';
import { AlertRulesRepository } from './alert-rules.repository.js';
import { AlertRulesService } from './alert-rules.service.js';
import { RuleChanges } from './rule-changes.js';

/** Alert rules and silences: their REST API and storage. The evaluator reads them through the exported repositories. */
@Module({
  controllers: [AlertRulesController, SilencesController],
  providers: [RuleChanges, AlertRulesRepository, AlertRulesService, SilencesRepository, SilencesService],
  exports: [RuleChanges, AlertRulesRepository, SilencesRepository],
})
export class AlertRulesModule {}
