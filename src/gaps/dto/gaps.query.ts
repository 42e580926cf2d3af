import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TimeRangeQuery } from '../../time-series/time-range.query.js';
import { GAP_KINDS, type GapKind } from '../gap-periods.js';

export class GapsQuery extends PickType(TimeRangeQuery, ['from', 'to'] as const) {
  @ApiPropertyOptional({ enum: GAP_KINDS, description: 'Only the gaps of this kind of data. Default: both.' })
  @IsOptional()
  @IsIn(GAP_KINDS, { message: `kind must be one of: ${GAP_KINDS.join(', ')}` })
  kind?: GapKind;
}
