import { Injectable } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import type { HelloFrameDto } from './dto/hello-frame.dto.js';
import { HELLO_KIND } from './hello.kind.js';
import { HostsRepository } from './hosts.repository.js';

/** `hello` frames: stores the host's details (acked once written). */
@Injectable()
@HandlesKind(HELLO_KIND)
export class HelloHandler implements FrameHandler<HelloFrameDto> {
  constructor(private readonly hosts: HostsRepository) {}

  async handle(agent: AgentContext, hello: HelloFrameDto): Promise<void> {
    const text = (value: string | undefined) => (value === undefined ? undefined : cleanText(value));
    await this.hosts.updateDetails(agent.hostId, {
      agentVersion: text(hello.agentVersion),
      hostname: text(hello.hostname),
      os: text(hello.os),
      kernel: text(hello.kernel),
      dockerVersion: text(hello.dockerVersion),
      cpus: hello.cpus,
      memoryTotal: hello.memoryTotal === undefined ? undefined : BigInt(hello.memoryTotal),
    });
  }
}
