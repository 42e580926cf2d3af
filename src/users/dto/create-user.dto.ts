import { IsIn } from 'class-validator';
import { IsAccountEmail, IsStrongEnoughPassword } from '../../common/validation.js';
import { Role } from '../../common/roles.js';

export class CreateUserDto {
  @IsAccountEmail()
  email: string;

  @IsStrongEnoughPassword()
  password: string;

  @IsIn(Object.values(Role), { message: `role must be one of: ${Object.values(Role).join(', ')}` })
  role: Role;
}
