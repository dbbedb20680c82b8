import { HttpException, HttpStatus } from '@nestjs/common';
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
/** Failures of one account, from any address, before its logins are slowed down. */
export const SLOWDOWN_AFTER = 5;
/** The longest a login of a much-guessed account waits. */
export const MAX_SLOWDOWN_MS = 8000;

/** How long a login of an account with `failures` recent failures (from any address) waits before its check. */
export function slowdownMs(failures: number): number {
  return failures < SLOWDOWN_AFTER ? 0 : Math.min(MAX_SLOWDOWN_MS, 500 * 2 ** (failures - SLOWDOWN_AFTER));
}

/** Made by AuthModule's factory (the clock's sleep is a parameter for the specs). */
export class LoginAttempts {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;
  /** Failures per email across all addresses, for a slow-down (never a lockout an attacker could trigger). */
  private readonly perEmail: RateLimiterMemory;
  private readonly slowed = new Map<string, Promise<void>>();

  constructor(
    config: AppConfig,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const duration = config.LOGIN_THROTTLE_TTL_SECONDS;
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: config.LOGIN_THROTTLE_LIMIT, duration });
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.LOGIN_THROTTLE_LIMIT * 20, duration });
    this.perEmail = new RateLimiterMemory({ keyPrefix: 'login-email', points: Number.MAX_SAFE_INTEGER, duration: Math.max(duration, 900) });
  }

  /**
   * Reserves one attempt before the password is checked (so a burst of parallel guesses cannot slip past a
   * check-then-count), or throws 429 with the seconds to wait. Guesses spread over many addresses against one
   * account are slowed down, doubling per failure up to 8 s, without ever locking its owner out. `succeeded`
   * hands the reservation back and clears the account's failures.
   */
  async begin(ip: string, email: string): Promise<{ succeeded: () => Promise<void>; delayedMs: number }> {
    const account = `${ip}|${email}`;
    let failures: number;
    try {
      await this.perAddress.consume(ip);
      await this.perAccount.consume(account);
      failures = (await this.perEmail.consume(email)).consumedPoints - 1;
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyAttemptsException(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
    const delayedMs = slowdownMs(failures);
    if (delayedMs > 0) {
      // One slowed login of an account at a time: parallel guesses queue up instead of all waiting at once.
      const turn = (this.slowed.get(email) ?? Promise.resolve()).then(() => this.sleep(delayedMs));
      this.slowed.set(email, turn);
      await turn;
      if (this.slowed.get(email) === turn) this.slowed.delete(email);
    }
    return {
      delayedMs,
      succeeded: async () => {
        await this.perAccount.delete(account);
        await this.perAddress.reward(ip, 1);
        await this.perEmail.delete(email);
      },
    };
  }
}
