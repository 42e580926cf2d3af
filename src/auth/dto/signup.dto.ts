import { ApiProperty } from '@nestjs/swagger';
import { IsAccountEmail, IsName, IsStrongEnoughPassword } from '../../common/validation.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class SignupDto {
  @ApiProperty({ description: 'Email of the new owner; stored trimmed and lower-cased, unique across the server.', example: 'ada@example.com', maxLength: 254 })
  @IsAccountEmail()
  @IsCleanText()
  email: string;

  @ApiProperty({
    description: '10–128 characters mixing at least two of: lowercase letters, uppercase letters, digits, symbols.',
    example: 'correct-Horse-42',
    minLength: 10,
    maxLength: 128,
    format: 'password',
  })
  @IsStrongEnoughPassword()
  @IsCleanText()
  password: string;

  @ApiProperty({ description: 'Name of the new organization (trimmed, 1–100 characters, no control characters).', example: 'Acme Ops', minLength: 1, maxLength: 100 })
  @IsName(100)
  @IsCleanText()
  organization: string;
}
