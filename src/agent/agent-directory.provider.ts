import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { AgentDirectory, LocalAgentDirectory } from './agent-directory.js';
import { RedisAgentDirectory } from './redis-agent-directory.js';

/**
 * A claim outlives its holder's last heartbeat by as long as the hosts table's stale sweep waits
 * (AgentConnections.heartbeat): a dead instance's hosts are free and offline at about the same time.
 */
export const claimTtlMs = (heartbeatMs: number) => 3 * heartbeatMs + 5_000;

/** The directory across instances with REDIS_URL, this instance alone without. */
export const agentDirectoryProvider: Provider = {
  provide: AgentDirectory,
  inject: [RedisConnection, ConfigService],
  useFactory: (redis: RedisConnection, config: ConfigService<Environment, true>) =>
    redis.enabled ? new RedisAgentDirectory(redis, claimTtlMs(config.getOrThrow('AGENT_HEARTBEAT_MS', { infer: true }))) : new LocalAgentDirectory(),
};
