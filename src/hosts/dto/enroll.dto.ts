import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsName } from '../../common/validation.js';

export class EnrollDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  enrollmentToken: string;

  @IsName(253)
  hostname: string;

  @IsName(64)
  agentVersion: string;
}
