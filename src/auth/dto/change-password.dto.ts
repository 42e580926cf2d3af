import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsStrongEnoughPassword } from '../../common/validation.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password in use now.', maxLength: 128, format: 'password' })
  @IsString()
  @MaxLength(128)
  @IsCleanText()
  currentPassword: string;

  @ApiProperty({
    description: '10–128 characters mixing at least two of: lowercase letters, uppercase letters, digits, symbols.',
    example: 'Another-Secret-7',
    minLength: 10,
    maxLength: 128,
    format: 'password',
  })
  @IsStrongEnoughPassword()
  @IsCleanText()
  newPassword: string;
}
