import { Module } from '@nestjs/common';
import { OrganizationsRepository } from './organizations.repository.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController],
  providers: [UsersRepository, OrganizationsRepository, UsersService],
  exports: [UsersRepository, OrganizationsRepository],
})
export class UsersModule {}
