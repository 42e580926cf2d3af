import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LABELS, PORTS } from '../../common/json-shape.js';
import { INT4_MAX, IsCleanText, IsCount, IsLabels, IsPorts, IsTimestamp, Items } from '../../common/validation.js';

/** A Docker id as agents send it: full (64 hex) or short (12 hex). */
export const DOCKER_ID = /^(?:[0-9a-f]{12}|[0-9a-f]{64})$/;
export const DOCKER_ID_MESSAGE = '$property must be a Docker id (12 or 64 lowercase hex characters)';
/** What an engine's healthcheck reports. */
export const HEALTH_STATES = ['healthy', 'unhealthy', 'starting'] as const;

/**
 * One container of an inventory snapshot (CONTRACT.md "container object"). Free text (name, image,
 * command, state, status) is stored cleaned of NUL characters and lone surrogates; the image id,
 * labels and ports are stored as given, so such characters there refuse the frame instead.
 */
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
  @IsOptional() @IsCleanText() @MaxLength(255)
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

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: { oneOf: [{ type: 'string', maxLength: PORTS.maxValueLength }, { type: 'number' }, { type: 'boolean' }], nullable: true }, maxProperties: PORTS.maxFields },
    maxItems: PORTS.maxEntries,
    description: 'Port bindings as Docker reports them: flat objects (strings, numbers, booleans, null); stored as given.',
    example: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
  })
  @IsOptional() @IsPorts()
  ports?: Record<string, unknown>[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: LABELS.maxValueLength },
    maxProperties: LABELS.maxEntries,
    description: `Docker labels: string values; keys up to ${LABELS.maxKeyLength} characters.`,
    example: { 'com.docker.compose.service': 'web' },
  })
  @IsOptional() @IsLabels()
  labels?: Record<string, string>;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'Epoch milliseconds' }],
    description: 'When the container started: ISO 8601 or epoch milliseconds.',
    example: '2026-11-23T07:12:44.000Z',
  })
  @IsOptional() @IsTimestamp()
  startedAt?: string | number;

  @ApiPropertyOptional({ enum: HEALTH_STATES, description: 'Healthcheck state, for containers that have a healthcheck.' })
  @IsOptional() @IsIn(HEALTH_STATES, { message: `health must be one of: ${HEALTH_STATES.join(', ')}` })
  health?: (typeof HEALTH_STATES)[number];

  @ApiPropertyOptional({ description: 'Exit code of the last run, as the engine reports it.', example: 0 })
  @IsOptional() @IsInt() @Min(-INT4_MAX - 1) @Max(INT4_MAX)
  exitCode?: number;

  @ApiPropertyOptional({ description: 'How often the engine restarted the container.', example: 0 })
  @IsOptional() @IsCount(INT4_MAX)
  restartCount?: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'Epoch milliseconds' }],
    description: 'When the container last stopped: ISO 8601 or epoch milliseconds.',
  })
  @IsOptional() @IsTimestamp()
  finishedAt?: string | number;
}

export class ContainersFrameDto {
  @Items(() => ContainerDto)
  data: ContainerDto[];
}
