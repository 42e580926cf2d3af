import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InstanceOperator } from '../common/auth.decorators.js';
import { StorageHealthService } from './storage-health.service.js';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('storage')
export class StorageHealthController {
  constructor(private readonly storage: StorageHealthService) {}

  /** Installation-wide figures (every tenant's rows and ingest rate): for the instance's operators only. */
  @Get('health')
  @InstanceOperator()
  @ApiOperation({
    summary: 'Database size, rows, bytes and time range per table, retention settings, ingest buffers and rate',
    description: "Instance operators only: owners and admins of the instance's first organization.",
  })
  @ApiForbiddenResponse({ description: 'The caller is not an instance operator' })
  @ApiOkResponse({
    description:
      '{databaseSizeBytes, tables: {<name>: {rows, rowsExact, bytes, oldest, newest, partitions?}}, ' +
      'tiers: {container|host: {raw, minute, hour, day}} (bytes of each metrics tier), bytesPerHostPerDay (docs/storage.md), retention: {<kind>: duration}, ' +
      'buffers: {<kind>: {pendingRows, inFlightRows, flushedRows, failedFlushes, heldBytes}}, ingest: {rowsPerSecond, windowSeconds, kinds}}. ' +
      'Rows are counted exactly for small relations and estimated from the catalog for large ones (rowsExact false).',
    schema: {
      type: 'object',
      required: ['databaseSizeBytes', 'tables', 'retention', 'buffers', 'ingest'],
      properties: {
        databaseSizeBytes: { type: 'integer' },
        tables: { type: 'object', additionalProperties: { type: 'object' } },
        tiers: { type: 'object', additionalProperties: { type: 'object' } },
        bytesPerHostPerDay: { type: 'number' },
        retention: { type: 'object', additionalProperties: { type: 'string' } },
        buffers: { type: 'object', additionalProperties: { type: 'object' } },
        ingest: { type: 'object' },
      },
    },
  })
  health() {
    return this.storage.health();
  }
}
