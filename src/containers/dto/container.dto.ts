import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTimestamp, Items } from '../../common/validation.js';

/** A Docker id as agents send it: full (64 hex) or short (12 hex). */
export const DOCKER_ID = /^(?:[0-9a-f]{12}|[0-9a-f]{64})$/;
export const DOCKER_ID_MESSAGE = '$property must be a Docker id (12 or 64 lowercase hex characters)';

/** One container of an inventory snapshot (CONTRACT.md "container object"). */
export class ContainerDto {
  @ApiProperty({ description: 'Docker id: 64 or 12 lowercase hex characters.', pattern: DOCKER_ID.source, example: '4f2a9c1b7e3d' })
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  dockerId: string;

  @ApiProperty({ description: 'Container name.', maxLength: 255, example: 'nginx' })
  @IsString() @MaxLength(255)
  name: string;

  @ApiProperty({ description: 'Image reference.', maxLength: 1024, example: 'nginx:1.27-alpine' })
  @IsString() @MaxLength(1024)
  image: string;

  @ApiPropertyOptional({ description: 'Image id.', maxLength: 255, example: 'sha256:3b25b682ea82b2db3cc4fd48db818be788ee3f902ac7378090cf2624ec2442df' })
  @IsOptional() @IsString() @MaxLength(255)
  imageId?: string;

  @ApiPropertyOptional({ description: 'Command line.', maxLength: 8192, example: 'nginx -g daemon off;' })
  @IsOptional() @IsString() @MaxLength(8192)
  command?: string;

  @ApiProperty({ description: 'Docker state (`running`, `exited`, `paused`, …).', maxLength: 32, example: 'running' })
  @IsString() @MaxLength(32)
  state: string;

  @ApiPropertyOptional({ description: 'Docker status text.', maxLength: 255, example: 'Up 3 hours' })
  @IsOptional() @IsString() @MaxLength(255)
  status?: string;

  @ApiPropertyOptional({ type: 'array', items: {}, maxItems: 1000, description: 'Port bindings as Docker reports them (any JSON); stored as given.', example: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] })
  @IsOptional() @IsArray() @ArrayMaxSize(1000)
  ports?: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Docker labels.', example: { 'com.docker.compose.service': 'web' } })
  @IsOptional() @IsObject()
  labels?: Record<string, string>;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'Epoch milliseconds' }],
    description: 'When the container started: ISO 8601 or epoch milliseconds.',
    example: '2026-11-23T07:12:44.000Z',
  })
  @IsOptional() @IsTimestamp()
  startedAt?: string | number;
}

export class ContainersFrameDto {
  @Items(() => ContainerDto)
  data: ContainerDto[];
}
