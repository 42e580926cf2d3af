import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InstanceOperator } from '../common/auth.decorators.js';
import { RetentionService } from './retention.service.js';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('storage/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('run')
  @InstanceOperator()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the retention job now and report what it removed',
    description: "Server-wide: instance operators only (owners and admins of the instance's first organization).",
  })
  @ApiOkResponse({
    description:
      '{startedAt, durationMs, droppedPartitions: [{table, partition, to, bytes, rowsEstimate}], partitionsCreated: [name], ' +
      'enrollmentTokensDeleted, commandsDeleted, alertsDeleted, failures: [{step, message}]}. A run already in progress is waited for.',
    schema: {
      type: 'object',
      properties: {
        startedAt: { type: 'string', format: 'date-time' },
        durationMs: { type: 'integer' },
        droppedPartitions: { type: 'array', items: { type: 'object' } },
        partitionsCreated: { type: 'array', items: { type: 'string' } },
        enrollmentTokensDeleted: { type: 'integer' },
        commandsDeleted: { type: 'integer' },
        alertsDeleted: { type: 'integer' },
        failures: { type: 'array', items: { type: 'object', properties: { step: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  })
  @ApiForbiddenResponse({ description: 'The caller is not an instance operator' })
  run() {
    return this.retention.run();
  }
}
