import { ApiProperty } from '@nestjs/swagger';
import { IsName } from '../../common/validation.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class CreateHostDto {
  @ApiProperty({ description: 'Display name of the host (trimmed, 1–100 characters, no control characters).', example: 'web-1', minLength: 1, maxLength: 100 })
  @IsName(100)
  @IsCleanText()
  name: string;
}
