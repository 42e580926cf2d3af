import { Module } from '@nestjs/common';
import { ProcessesQueryRepository } from './processes-query.repository.js';
import { ProcessesQueryService } from './processes-query.service.js';
import { ProcessesController } from './processes.controller.js';
import { ProcessesRepository } from './processes.repository.js';
import { ProcessesService } from './processes.service.js';

@Module({
  controllers: [ProcessesController],
  providers: [ProcessesRepository, ProcessesService, ProcessesQueryRepository, ProcessesQueryService],
})
export class ProcessesModule {}
