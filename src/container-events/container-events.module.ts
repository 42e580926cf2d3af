import { Module } from '@nestjs/common';
import { ContainersModule } from '../containers/containers.module.js';
import { ContainerEventsController } from './container-events.controller.js';
import { ContainerEventsQueryRepository } from './container-events-query.repository.js';
import { ContainerEventsQueryService } from './container-events-query.service.js';
import { ContainerEventsRepository } from './container-events.repository.js';
import { ContainerEventsService } from './container-events.service.js';

/** The `container_events` kind: engine events stored per container, read back and pushed live. */
@Module({
  imports: [ContainersModule],
  controllers: [ContainerEventsController],
  providers: [ContainerEventsRepository, ContainerEventsService, ContainerEventsQueryRepository, ContainerEventsQueryService],
})
export class ContainerEventsModule {}
