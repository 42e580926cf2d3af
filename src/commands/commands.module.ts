import { Module } from '@nestjs/common';
import { CommandEvents } from './command-events.js';
import { CommandResultHandler } from './command-result.handler.js';
import { CommandTimeoutSweeper } from './command-timeout.sweeper.js';
import { CommandsController } from './commands.controller.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandsService } from './commands.service.js';

/** Container actions: REST requests, delivery to agents, results, timeouts. */
@Module({
  controllers: [CommandsController],
  providers: [CommandsRepository, CommandsService, CommandEvents, CommandResultHandler, CommandTimeoutSweeper],
  exports: [CommandsRepository],
})
export class CommandsModule {}
