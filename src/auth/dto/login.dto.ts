import { IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../common/validation.js';

export class LoginDto {
  @IsAccountEmail()
  email: string;

  @IsString()
  @MaxLength(128)
  password: string;
}
