import { describeKind } from '../ingest/telemetry-kind.js';
import { HelloFrameDto } from './dto/hello-frame.dto.js';

export const HELLO_KIND = describeKind({
  type: 'hello',
  dto: HelloFrameDto,
  summary: 'What the agent tells about its host when it connects.',
});
