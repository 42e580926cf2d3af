import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../common/validation.js';

export class LoginDto {
  @ApiProperty({ description: 'Account email; compared trimmed and lower-cased.', example: 'ada@example.com', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiProperty({ description: 'Account password.', example: 'correct-Horse-42', maxLength: 128, format: 'password' })
  @IsString()
  @MaxLength(128)
  password: string;
}
