import { Controller, Get, type OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/auth.decorators.js';
import { Migrator } from '../database/migrator.js';
import { SqlClient } from '../database/sql-client.js';
import { RedisConnection } from '../redis/redis-connection.js';

// @HealthCheck() documents its responses only when it can require() @nestjs/swagger, an ESM-only package (not under Jest), so they are explicit here.
const CHECK_RESULT = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    info: { type: 'object', description: 'Checks that passed, by name (`shutdown`, `database`, `migrations`, `redis` when configured)' },
    error: { type: 'object', description: 'Checks that failed, by name, with why' },
    details: { type: 'object', description: 'Every check, by name' },
  },
};

@ApiTags('operations')
@Controller()
@Public()
export class HealthController implements OnModuleDestroy {
  private closing = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly sql: SqlClient,
    private readonly migrator: Migrator,
    private readonly redis: RedisConnection,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers', description: 'No credential needed.' })
  @ApiOkResponse({ description: 'The process is up', schema: CHECK_RESULT })
  live() {
    return this.health.check([]);
  }

  /** A load balancer stops sending new work here at once: Nest calls this first when SIGTERM closes the app, while the drain is still to come. */
  onModuleDestroy(): void {
    this.closing = true;
  }

  /** Readiness down from now on, before anything closes (main.ts, for SHUTDOWN_DRAIN). */
  startDraining(): void {
    this.closing = true;
  }

  /** Readiness: not shutting down, the database answers, every migration on disk is applied, and Redis is connected when REDIS_URL is set (503 otherwise). */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: not shutting down, the database answers, every migration is applied, and Redis (when configured) is connected',
    description:
      'No credential needed. The `redis` check appears only when REDIS_URL is set. Answers 503 from the moment the instance starts shutting down, so a load balancer stops sending it new work.',
  })
  @ApiOkResponse({ description: 'Ready to serve', schema: CHECK_RESULT })
  @ApiServiceUnavailableResponse({ description: 'Shutting down, the database or Redis is unreachable, or migrations are pending; `error` says which', schema: CHECK_RESULT })
  ready() {
    const checks = [() => this.shutdown(), () => this.database(), () => this.migrations()];
    return this.health.check(this.redis.enabled ? [...checks, () => this.redisCheck()] : checks);
  }

  private shutdown() {
    const check = this.indicator.check('shutdown');
    return this.closing ? check.down({ message: 'shutting down' }) : check.up();
  }

  private async database() {
    const check = this.indicator.check('database');
    try {
      await this.sql.query('SELECT 1');
      return check.up({ engine: this.sql.engine });
    } catch (error) {
      return check.down({ engine: this.sql.engine, message: (error as Error).message });
    }
  }

  /** The connection's own state, not a PING: a probe every few seconds should not cost a round trip or hang on a stalled server. */
  private redisCheck() {
    const check = this.indicator.check('redis');
    return this.redis.connected ? check.up() : check.down({ message: 'Redis is unreachable; reconnecting' });
  }

  private async migrations() {
    const check = this.indicator.check('migrations');
    try {
      const pending = await this.migrator.pending();
      return pending.length ? check.down({ pending }) : check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
