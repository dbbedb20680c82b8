import { type ExecutionContext, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { seconds, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app.config.js';

/**
 * @nestjs/throttler's guard for HTTP only: the live socket's messages are not HTTP requests (the gateway has
 * its own limits), so other contexts pass.
 */
@Injectable()
export class HttpRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || (await super.shouldSkip(context));
  }
}

/**
 * A limit on HTTP API requests per client address (`req.ip`, so behind a reverse proxy the address TRUST_PROXY
 * lets through): HTTP_RATE_LIMIT per HTTP_RATE_TTL_SECONDS. Over it, 429 with Retry-After and a sentence that
 * says when to retry. Handlers marked @SkipThrottle() (media and probes) are not counted. Login has its own,
 * stricter limit that counts only failures (auth/login-attempts.ts).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: seconds(config.HTTP_RATE_TTL_SECONDS), limit: config.HTTP_RATE_LIMIT }],
        skipIf: () => config.HTTP_RATE_LIMIT === 0,
        errorMessage: (_context, limit) =>
          `Too many requests from this address (at most ${limit.limit} in ${config.HTTP_RATE_TTL_SECONDS} s); try again in ${Math.max(1, limit.timeToBlockExpire)} seconds`,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: HttpRateLimitGuard }],
})
export class HttpRateLimitModule {}
