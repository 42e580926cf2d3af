import { IsAccountEmail, IsName, IsStrongEnoughPassword } from '../../common/validation.js';

export class SignupDto {
  @IsAccountEmail()
  email: string;

  @IsStrongEnoughPassword()
  password: string;

  @IsName(100)
  organization: string;
}
