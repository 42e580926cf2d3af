import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import type { Environment } from '../config/environment.js';
import { resolveJwtSecret } from '../config/jwt-secret.js';
import { TokenService } from './token.service.js';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        secret: resolveJwtSecret(config.get('JWT_SECRET', { infer: true }), config.getOrThrow('DATA_DIR', { infer: true })),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [TokenService],
  exports: [TokenService],
})
export class TokensModule {}
