import { Module } from '@nestjs/common';
import { ProcessesRepository } from './processes.repository.js';
import { ProcessesService } from './processes.service.js';

@Module({ providers: [ProcessesRepository, ProcessesService] })
export class ProcessesModule {}
