import { IsName } from '../../common/validation.js';

export class CreateHostDto {
  @IsName(100)
  name: string;
}
