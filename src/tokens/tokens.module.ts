import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import type { Environment } from '../config/environment.js';
import { resolveJwtSecret } from '../config/jwt-secret.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { TokenService } from './token.service.js';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService<Environment, true>, redis: RedisConnection) => {
        const secret = resolveJwtSecret(config.get('JWT_SECRET', { infer: true }), config.getOrThrow('DATA_DIR', { infer: true }));
        redis.shareSecret('JWT_SECRET', secret, 'Until then, a token signed by one instance is refused by the others.');
        // A key object, not the string: given a string, jsonwebtoken first tries to read it as a
        // public key on every verify and throws, about half a millisecond of every request's CPU.
        return { secret: createSecretKey(Buffer.from(secret)), signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  providers: [TokenService],
  exports: [TokenService],
})
export class TokensModule {}
