import { ApiProperty } from '@nestjs/swagger';
import { HostView } from '../host.view.js';

/** The answers of host creation and enrollment, documented for OpenAPI. */
export class HostCreatedView {
  @ApiProperty({ type: HostView }) host: HostView;
  @ApiProperty({ description: 'One-time enrollment token for the host’s agent: shown once, single use.' }) enrollmentToken: string;
  @ApiProperty({ format: 'date-time', description: 'When the enrollment token expires (ENROLLMENT_TOKEN_TTL, default 24 h).' })
  enrollmentTokenExpiresAt: string;
}

export class EnrollmentTokenView {
  @ApiProperty() hostId: string;
  @ApiProperty({ description: 'Fresh one-time enrollment token; earlier unused ones of the host stop working.' }) enrollmentToken: string;
  @ApiProperty({ format: 'date-time', description: 'When the enrollment token expires.' }) expiresAt: string;
}

export class AgentTokenView {
  @ApiProperty() hostId: string;
  @ApiProperty({ description: 'Agent token (JWT): `Authorization: Bearer <token>` on the agent REST routes and the /agent WebSocket upgrade.' })
  agentToken: string;
}

export class AgentIdentityView {
  @ApiProperty({ description: 'The host the agent token belongs to.' }) hostId: string;
  @ApiProperty() organizationId: string;
}
