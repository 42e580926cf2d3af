import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsAccountEmail, IsStrongEnoughPassword } from '../../common/validation.js';
import { Role } from '../../common/roles.js';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';

export class CreateUserDto {
  @ApiProperty({ description: 'Email of the new user; stored trimmed and lower-cased, unique across the server.', example: 'grace@example.com', maxLength: 254 })
  @IsAccountEmail()
  @IsCleanText()
  email: string;

  @ApiProperty({
    description: '10–128 characters mixing at least two of: lowercase letters, uppercase letters, digits, symbols.',
    example: 'Another-Secret-7',
    minLength: 10,
    maxLength: 128,
    format: 'password',
  })
  @IsStrongEnoughPassword()
  @IsCleanText()
  password: string;

  @ApiProperty({ enum: Object.values(Role), enumName: 'Role', description: 'At most the caller’s own role: owner > admin > operator > viewer.', example: 'operator' })
  @IsIn(Object.values(Role), { message: `role must be one of: ${Object.values(Role).join(', ')}` })
  role: Role;
}
