import { ApiProperty } from '@nestjs/swagger';
import { GAP_KINDS, GAP_REASONS, type GapPeriod } from '../gap-periods.js';

export class GapView {
  @ApiProperty({ description: 'First missing minute, ISO 8601 UTC.', example: '2026-11-30T10:05:00.000Z' }) from: string;
  @ApiProperty({ description: 'End of the period (exclusive): the first minute with data again, or the end of the range.', example: '2026-11-30T10:17:00.000Z' }) to: string;
  @ApiProperty({
    enum: GAP_REASONS,
    description: '`agent_offline`: no agent connection; `not_collected`: connected, but no samples of the kind arrived; `refused`: frames with samples of those minutes were answered with an error and not resent successfully.',
  })
  reason: string;
  @ApiProperty({ enum: GAP_KINDS, description: 'The data missing: host samples, or samples of every container of the host.' }) kind: string;
}

export function toGapView(period: GapPeriod): GapView {
  return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), reason: period.reason, kind: period.kind };
}
