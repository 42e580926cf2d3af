import { ApiProperty } from '@nestjs/swagger';
import { UserAccountView } from '../../users/dto/user.view.js';

/** The answers of the auth endpoints, documented for OpenAPI. */
export class OrganizationView {
  @ApiProperty({ example: '5f2d7a90-1c4b-4e8f-a3d6-2b9e0c7f1a54' }) id: string;
  @ApiProperty({ example: 'Acme Ops' }) name: string;
  @ApiProperty({ format: 'date-time', description: 'ISO 8601 UTC.' }) createdAt: string;
}

export class AccessTokenView {
  @ApiProperty({ description: 'User access token (JWT): send it as `Authorization: Bearer <token>`.' }) accessToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires.', example: 3600 }) expiresIn: number;
}

export class SignupView {
  @ApiProperty({ type: UserAccountView, description: 'The new user, owner of the new organization.' }) user: UserAccountView;
  @ApiProperty({ type: OrganizationView }) organization: OrganizationView;
  @ApiProperty({ description: 'User access token (JWT) of the new owner.' }) accessToken: string;
}

export class SetupStateView {
  @ApiProperty({ description: 'Whether POST /api/auth/signup would accept a new organization now.' }) signupOpen: boolean;
  @ApiProperty({ description: 'Whether any organization exists (false on a fresh install).' }) hasOrganization: boolean;
}
