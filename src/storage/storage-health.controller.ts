import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StorageHealthService } from './storage-health.service.js';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('storage')
export class StorageHealthController {
  constructor(private readonly storage: StorageHealthService) {}

  /** Any signed-in user: the figures are installation-wide and say nothing about other tenants' data. */
  @Get('health')
  @ApiOperation({ summary: 'Database size, rows, bytes and time range per table, retention settings, ingest buffers and rate' })
  @ApiOkResponse({
    description:
      '{databaseSizeBytes, tables: {<name>: {rows, rowsExact, bytes, oldest, newest, partitions?}}, retention: {<kind>: duration}, ' +
      'buffers: {<kind>: {pendingRows, inFlightRows, flushedRows, failedFlushes, heldBytes}}, ingest: {rowsPerSecond, windowSeconds, kinds}}. ' +
      'Rows are counted exactly for small relations and estimated from the catalog for large ones (rowsExact false).',
  })
  health() {
    return this.storage.health();
  }
}
