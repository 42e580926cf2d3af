import { ApiProperty } from '@nestjs/swagger';

/** A gauge over one bucket, as every bucketed series answers it. */
export class AvgMax {
  @ApiProperty({ description: 'Mean over the bucket’s samples.' }) avg: number;
  @ApiProperty({ description: 'Largest sample in the bucket.' }) max: number;
}
