import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../common/roles.js';

/** A user as the API shows it (never the password hash); documented for OpenAPI. */
export class UserAccountView {
  @ApiProperty({ example: '0b9f4c1e-3d57-4f0a-9d2e-6a1c8e5b7f30' }) id: string;
  @ApiProperty({ example: 'grace@example.com' }) email: string;
  @ApiProperty({ enum: Object.values(Role), enumName: 'Role', example: 'operator' }) role: Role;
  @ApiProperty({ example: '5f2d7a90-1c4b-4e8f-a3d6-2b9e0c7f1a54' }) organizationId: string;
  @ApiProperty({ format: 'date-time', description: 'ISO 8601 UTC.' }) createdAt: string;
}
