import { ApiProperty } from '@nestjs/swagger';

/** The answer of POST /api/agent/containers, documented for OpenAPI. */
export class ContainerSyncView {
  @ApiProperty({ description: 'Containers of the snapshot inserted or updated.', example: 12 }) upserted: number;
  @ApiProperty({ description: 'Known containers missing from the snapshot, now marked removed.', example: 1 }) removed: number;
  @ApiProperty({ description: 'Containers in the snapshot.', example: 12 }) total: number;
}
