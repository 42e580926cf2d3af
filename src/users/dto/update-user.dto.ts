import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Role } from '../../common/roles.js';

export class UpdateUserDto {
  @ApiProperty({ enum: Object.values(Role), enumName: 'Role', description: 'At most the caller’s own role: owner > admin > operator > viewer.', example: 'viewer' })
  @IsIn(Object.values(Role), { message: `role must be one of: ${Object.values(Role).join(', ')}` })
  role: Role;
}
