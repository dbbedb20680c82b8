import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app.config.js';

export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message: `Too many login attempts; try again in ${retryAfterSeconds} seconds` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Limits password guessing. Login attempts are counted per client address and email (LOGIN_THROTTLE_LIMIT
 * within LOGIN_THROTTLE_TTL_SECONDS) and per address across emails (twenty times that: a rural school's
 * computer room reaches us through one NAT address). A successful login clears its account's count, so
 * people who mistype once are not punished later.
 *
 * rate-limiter-flexible rather than @nestjs/throttler (which limits the rest of the HTTP API,
 * common/http-rate-limit.ts): a login reserves an attempt before the password is checked and a success hands
 * it back, so only failures count, and it has a Redis store for when the app runs on several nodes.
 */
@Injectable()
export class LoginAttempts {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(config: AppConfig) {
    const duration = config.LOGIN_THROTTLE_TTL_SECONDS;
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: config.LOGIN_THROTTLE_LIMIT, duration });
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.LOGIN_THROTTLE_LIMIT * 20, duration });
  }

  /**
   * Reserves one attempt before the password is checked (so a burst of parallel guesses cannot slip past a
   * check-then-count), or throws 429 with the seconds to wait. `succeeded` hands the reservation back.
   */
  async begin(ip: string, email: string): Promise<{ succeeded: () => Promise<void> }> {
    const account = `${ip}|${email}`;
    try {
      await this.perAddress.consume(ip);
      await this.perAccount.consume(account);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyAttemptsException(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
    return {
      succeeded: async () => {
        await this.perAccount.delete(account);
        await this.perAddress.reward(ip, 1);
      },
    };
  }
}
