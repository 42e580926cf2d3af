import { Injectable, OnModuleInit } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { HelloFrameDto } from './dto/hello-frame.dto.js';
import { HostsRepository } from './hosts.repository.js';

/** `hello` frames: stores the host's details (acked once written). */
@Injectable()
export class HelloHandler implements FrameHandler<HelloFrameDto>, OnModuleInit {
  readonly type = 'hello';
  readonly dto = HelloFrameDto;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly hosts: HostsRepository,
    private readonly stats: IngestStats,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

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
    this.stats.accepted(this.type);
  }
}
