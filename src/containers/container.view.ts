import { ApiProperty } from '@nestjs/swagger';
import type { Container } from '../generated/prisma/client.js';

export function toContainerView(container: Container) {
  return {
    id: container.id,
    hostId: container.hostId,
    dockerId: container.dockerId,
    name: container.name,
    image: container.image,
    imageId: container.imageId,
    command: container.command,
    state: container.state,
    status: container.status,
    ports: container.ports,
    labels: container.labels,
    startedAt: container.startedAt,
    health: container.health,
    exitCode: container.exitCode,
    restartCount: container.restartCount,
    finishedAt: container.finishedAt,
    removed: container.removedAt !== null,
    removedAt: container.removedAt,
    createdAt: container.createdAt,
    updatedAt: container.updatedAt,
  };
}

/** toContainerView as JSON, documented for OpenAPI. Fields the agent has not reported yet are null. */
export class ContainerView {
  @ApiProperty({ description: 'The API id (use it in paths), not the Docker id.', example: '9a1f6e2c-4b7d-4c3a-8e5f-0d2b7c6a9e13' }) id: string;
  @ApiProperty() hostId: string;
  @ApiProperty({ description: 'Full 64-hex id when known; the 12-hex short id until the inventory names the full one.', example: '4f2a9c1b7e3d' })
  dockerId: string;
  @ApiProperty({ type: String, nullable: true, example: 'nginx' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nginx:1.27-alpine' }) image: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'sha256:…' }) imageId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nginx -g daemon off;' }) command: string | null;
  @ApiProperty({ description: 'Docker state (`running`, `exited`, …); `unknown` until the inventory reports it.', example: 'running' }) state: string;
  @ApiProperty({ type: String, nullable: true, description: 'Docker status text.', example: 'Up 3 hours' }) status: string | null;
  @ApiProperty({ type: 'array', items: {}, nullable: true, description: 'Port bindings as the agent reported them.' }) ports: unknown[] | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, example: { 'com.docker.compose.service': 'web' } })
  labels: Record<string, string> | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, enum: ['healthy', 'unhealthy', 'starting'], nullable: true, description: 'Null without a healthcheck.' }) health: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Exit code of the last run.' }) exitCode: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'How often the engine restarted it.' }) restartCount: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it last stopped.' }) finishedAt: string | null;
  @ApiProperty({ description: 'True once an inventory snapshot no longer lists the container.' }) removed: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) removedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
