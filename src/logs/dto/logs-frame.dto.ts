import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsTimestamp, Items } from '../../common/validation.js';
import { DOCKER_ID, DOCKER_ID_MESSAGE } from '../../containers/dto/container.dto.js';

export class LogLineDto {
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  containerId: string;

  /** May carry nanoseconds, as Docker's log timestamps do. */
  @IsTimestamp()
  ts: string | number;

  @IsIn(['stdout', 'stderr'], { message: '$property must be stdout or stderr' })
  stream: 'stdout' | 'stderr';

  /** Any length: lines over 16 KiB are cut and stored marked `truncated` (the frame limit bounds it). */
  @IsString()
  line: string;

  /** The line's ordinal among its container's and stream's lines of the same `ts` (0 first); its identity when given. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  n?: number;
}

export class LogsFrameDto {
  @Items(() => LogLineDto)
  data: LogLineDto[];
}
