import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsName } from '../../common/validation.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class EnrollDto {
  @ApiProperty({ description: 'The one-time token from POST /api/hosts or POST /api/hosts/{hostId}/enrollment-token.', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsCleanText()
  enrollmentToken: string;

  @ApiProperty({ description: 'The machine’s hostname (trimmed, 1–253 characters).', example: 'web-1.internal', minLength: 1, maxLength: 253 })
  @IsName(253)
  @IsCleanText()
  hostname: string;

  @ApiProperty({ description: 'Version of the agent enrolling (trimmed, 1–64 characters).', example: '0.3.1', minLength: 1, maxLength: 64 })
  @IsName(64)
  @IsCleanText()
  agentVersion: string;
}
