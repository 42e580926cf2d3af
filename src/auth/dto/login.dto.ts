import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../common/validation.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class LoginDto {
  @ApiProperty({ description: 'Account email; compared trimmed and lower-cased.', example: 'ada@example.com', maxLength: 254 })
  @IsAccountEmail()
  @IsCleanText()
  email: string;

  @ApiProperty({ description: 'Account password.', example: 'correct-Horse-42', maxLength: 128, format: 'password' })
  @IsString()
  @MaxLength(128)
  @IsCleanText()
  password: string;
}
