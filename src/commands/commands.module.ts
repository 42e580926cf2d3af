import { Module } from '@nestjs/common';
import { CommandResultHandler } from './command-result.handler.js';
import { CommandsRepository } from './commands.repository.js';

@Module({
  providers: [CommandsRepository, CommandResultHandler],
  exports: [CommandsRepository],
})
export class CommandsModule {}
