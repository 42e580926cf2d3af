import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module.js';
import { ContainersQueryService } from './containers-query.service.js';
import { ContainersController } from './containers.controller.js';
import { ContainersRepository } from './containers.repository.js';
import { ContainersService } from './containers.service.js';
import { InventoryController } from './inventory.controller.js';
import { StoredContainerIds } from './stored-container-ids.js';

@Module({
  imports: [HostsModule],
  controllers: [ContainersController, InventoryController],
  providers: [ContainersRepository, StoredContainerIds, ContainersService, ContainersQueryService],
  exports: [ContainersService],
})
export class ContainersModule {}
