import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { INT4_MAX, IsTimestamp, Items } from '../../common/validation.js';
import { DOCKER_ID, DOCKER_ID_MESSAGE, HEALTH_STATES } from '../../containers/dto/container.dto.js';

export const EVENT_ACTIONS = ['create', 'start', 'die', 'oom', 'stop', 'kill', 'restart', 'pause', 'unpause', 'destroy', 'health_status'] as const;

/** One engine event about a container, as Docker or Podman reported it. */
export class ContainerEventDto {
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  containerId: string;

  @IsTimestamp()
  ts: string | number;

  @IsIn(EVENT_ACTIONS, { message: `action must be one of: ${EVENT_ACTIONS.join(', ')}` })
  action: (typeof EVENT_ACTIONS)[number];

  /** With `die`: the exit code the engine reported. */
  @IsOptional() @IsInt() @Min(-INT4_MAX - 1) @Max(INT4_MAX)
  exitCode?: number;

  /** With `health_status`: the new health. */
  @IsOptional() @IsIn(HEALTH_STATES, { message: `health must be one of: ${HEALTH_STATES.join(', ')}` })
  health?: (typeof HEALTH_STATES)[number];
}

export class ContainerEventsFrameDto {
  @Items(() => ContainerEventDto)
  data: ContainerEventDto[];
}
