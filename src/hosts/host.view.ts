import { ApiProperty } from '@nestjs/swagger';
import type { Host } from '../generated/prisma/client.js';

/** A host as the API shows it: never its token generation, byte counts as numbers. */
export function toHostView(host: Host) {
  return {
    id: host.id,
    name: host.name,
    status: host.online ? ('online' as const) : ('offline' as const),
    lastSeenAt: host.lastSeenAt,
    agentVersion: host.agentVersion,
    hostname: host.hostname,
    os: host.os,
    kernel: host.kernel,
    dockerVersion: host.dockerVersion,
    cpus: host.cpus,
    memoryTotal: host.memoryTotal === null ? null : Number(host.memoryTotal),
    createdAt: host.createdAt,
  };
}

/** toHostView as JSON, documented for OpenAPI. Details the agent reports stay null until its first `hello`. */
export class HostView {
  @ApiProperty({ example: '3c8e2f61-7a4d-4b9e-8f10-5d2a6c9b1e47' }) id: string;
  @ApiProperty({ example: 'web-1' }) name: string;
  @ApiProperty({ enum: ['online', 'offline'], description: 'Whether the host’s agent is connected.' }) status: 'online' | 'offline';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last time the agent was heard from, ISO 8601 UTC.' })
  lastSeenAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.3.1' }) agentVersion: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'web-1.internal' }) hostname: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Ubuntu 24.04 LTS' }) os: string | null;
  @ApiProperty({ type: String, nullable: true, example: '6.8.0-45-generic' }) kernel: string | null;
  @ApiProperty({ type: String, nullable: true, example: '27.3.1' }) dockerVersion: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 8 }) cpus: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Bytes.', example: 16_777_216_000 }) memoryTotal: number | null;
  @ApiProperty({ format: 'date-time', description: 'ISO 8601 UTC.' }) createdAt: string;
}
