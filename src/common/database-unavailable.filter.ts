import { ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnavailable } from '../database/database-errors.js';

/** A database that cannot be reached is a 503 (retry later), not a 500. */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception) && host.getType() === 'http') {
      return super.catch(new HttpException({ statusCode: 503, message: 'The database is unavailable; try again shortly', error: 'Service Unavailable' }, HttpStatus.SERVICE_UNAVAILABLE), host);
    }
    super.catch(exception, host);
  }
}
