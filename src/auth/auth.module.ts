import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HostsModule } from '../hosts/hosts.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { PasswordController } from './password.controller.js';
import { InstanceOperatorGuard } from './instance-operator.guard.js';
import { LoginThrottlerInterceptor } from './login-throttler.interceptor.js';
import { RolesGuard } from './roles.guard.js';

@Module({
  imports: [
    UsersModule,
    HostsModule,
  ],
  controllers: [AuthController, PasswordController],
  providers: [
    AuthService,
    LoginThrottlerInterceptor,
    // Order matters: authentication establishes the principal that the role checks read.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: InstanceOperatorGuard },
  ],
})
export class AuthModule {}
