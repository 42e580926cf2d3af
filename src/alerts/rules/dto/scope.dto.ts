import { ApiPropertyOptional } from '@nestjs/swagger';
import { GLOB_MAX_LENGTH, isNameGlob } from '../name-glob.js';
import { RULE_LIMITS } from '../rule-limits.js';
import { EachItem, IfPresent, IsLabelMatch, isUuid } from './rule-validators.js';

/** Narrows a rule's subjects; every field set must hold. An empty scope is every host or container of the organization. */
export class AlertScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: RULE_LIMITS.scopeHosts, description: 'Hosts of the organization' })
  @IfPresent()
  @EachItem(RULE_LIMITS.scopeHosts, isUuid, 'a host id', { unique: true })
  hostIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: RULE_LIMITS.scopeContainerNames,
    example: ['api-*', 'worker-?'],
    description: `Globs over container names (without Docker's leading \`/\`): letters, digits, \`_\`, \`.\`, \`-\`, \`*\` (any run) and \`?\` (one character); case-sensitive; ${GLOB_MAX_LENGTH} characters at most`,
  })
  @IfPresent()
  @EachItem(RULE_LIMITS.scopeContainerNames, isNameGlob, `a glob of 1 to ${GLOB_MAX_LENGTH} characters among a-z A-Z 0-9 _ . - and the wildcards * and ?`)
  containerNames?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { app: 'web' },
    description: `Container labels that must all be present with exactly these values (${RULE_LIMITS.scopeLabels} at most)`,
  })
  @IfPresent()
  @IsLabelMatch()
  labels?: Record<string, string>;
}
