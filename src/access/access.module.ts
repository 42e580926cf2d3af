import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository.js';

/** Tenant access checks, available to every feature without importing one another. */
@Global()
@Module({
  providers: [AccessRepository],
  exports: [AccessRepository],
})
export class AccessModule {}
