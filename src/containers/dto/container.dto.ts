import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTimestamp, Items } from '../../common/validation.js';

/** A Docker id as agents send it: full (64 hex) or short (12 hex). */
export const DOCKER_ID = /^(?:[0-9a-f]{12}|[0-9a-f]{64})$/;
export const DOCKER_ID_MESSAGE = '$property must be a Docker id (12 or 64 lowercase hex characters)';

/** One container of an inventory snapshot (CONTRACT.md "container object"). */
export class ContainerDto {
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  dockerId: string;

  @IsString() @MaxLength(255)
  name: string;

  @IsString() @MaxLength(1024)
  image: string;

  @IsOptional() @IsString() @MaxLength(255)
  imageId?: string;

  @IsOptional() @IsString() @MaxLength(8192)
  command?: string;

  @IsString() @MaxLength(32)
  state: string;

  @IsOptional() @IsString() @MaxLength(255)
  status?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(1000)
  ports?: unknown[];

  @IsOptional() @IsObject()
  labels?: Record<string, string>;

  @IsOptional() @IsTimestamp()
  startedAt?: string | number;
}

export class ContainersFrameDto {
  @Items(() => ContainerDto)
  data: ContainerDto[];
}
