import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCount } from '../../common/validation.js';

/** `hello`: what the agent tells about its host when it connects. */
export class HelloFrameDto {
  @IsString() @MaxLength(64) agentVersion: string;
  @IsString() @MaxLength(253) hostname: string;
  @IsOptional() @IsString() @MaxLength(255) os?: string;
  @IsOptional() @IsString() @MaxLength(255) kernel?: string;
  @IsOptional() @IsString() @MaxLength(64) dockerVersion?: string;
  @IsOptional() @IsInt() @Min(1) @Max(65_536) cpus?: number;
  @IsOptional() @IsCount() memoryTotal?: number;
}
