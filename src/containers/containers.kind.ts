import { describeKind } from '../ingest/telemetry-kind.js';
import { ContainersFrameDto } from './dto/container.dto.js';

export const CONTAINERS_KIND = describeKind({
  type: 'containers',
  dto: ContainersFrameDto,
  summary: "The host's full container inventory; known containers missing from it are marked removed.",
});
