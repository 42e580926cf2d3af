import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module.js';
import { ContainersController } from './containers.controller.js';
import { ContainersRepository } from './containers.repository.js';
import { ContainersService } from './containers.service.js';
import { InventoryController } from './inventory.controller.js';

@Module({
  imports: [HostsModule],
  controllers: [ContainersController, InventoryController],
  providers: [ContainersRepository, ContainersService],
  exports: [ContainersService],
})
export class ContainersModule {}
