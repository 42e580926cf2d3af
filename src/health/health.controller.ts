import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/auth.decorators.js';
import { Migrator } from '../database/migrator.js';
import { SqlClient } from '../database/sql-client.js';

@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly sql: SqlClient,
    private readonly migrator: Migrator,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the database answers and every migration on disk is applied (503 otherwise). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database(), () => this.migrations()]);
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
