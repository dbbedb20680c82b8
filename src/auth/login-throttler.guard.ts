import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app.config.js';

/**
 * Limits password guessing on POST /api/auth/login: LOGIN_THROTTLE_LIMIT attempts per client address and
 * email, and twenty times that per address across emails (a school behind one NAT address has many users), within LOGIN_THROTTLE_TTL_SECONDS.
 *
 * rate-limiter-flexible rather than @nestjs/throttler: throttler 6 is CommonJS that requires the ESM-only
 * @nestjs/common 12, which Jest on Node 20 cannot load; this library has no Nest dependency and a Redis
 * store for when the app runs on several nodes.
 */
@Injectable()
export class LoginThrottlerGuard implements CanActivate {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(config: AppConfig) {
    const duration = config.LOGIN_THROTTLE_TTL_SECONDS;
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: config.LOGIN_THROTTLE_LIMIT, duration });
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.LOGIN_THROTTLE_LIMIT * 20, duration });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const ip = req.ip ?? 'unknown';
    const body = req.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    try {
      await this.perAddress.consume(ip);
      await this.perAccount.consume(`${ip}|${email}`);
      return true;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `Too many login attempts; try again in ${seconds} seconds` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }
}
