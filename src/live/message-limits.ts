import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { LiveMessage, type LiveMessageName } from '../contracts/live.js';

interface Rate {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens held: how many may come at once after a quiet spell. */
  burst: number;
}

/**
 * Per socket and message type. Chat, link statistics and hands are what a person (or a script) repeats; the
 * rest is signalling a page sends a handful of at joining, so its limit only stops floods.
 */
export const MESSAGE_RATES: Partial<Record<LiveMessageName, Rate>> = {
  [LiveMessage.SendChat]: { perSecond: 1, burst: 5 },
  [LiveMessage.ReportStats]: { perSecond: 0.5, burst: 2 },
  [LiveMessage.RaiseHand]: { perSecond: 2, burst: 4 },
  [LiveMessage.LowerHand]: { perSecond: 2, burst: 4 },
};
export const DEFAULT_RATE: Rate = { perSecond: 20, burst: 60 };

/** A token bucket: `take()` spends one token if there is one. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.last = now;
  }

  take(now: number): boolean {
    // A clock that stepped back adds nothing (and takes nothing away: the socket would owe tokens for the step).
    this.tokens = Math.min(this.rate.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  wait(): number {
    return Math.max(0, Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
  }
}

export class RateLimitedException extends HttpException {
  constructor(message: string, retryAfterMs: number) {
    super(
      { message: `Too many "${message}" messages; wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`, code: 'RATE_LIMITED' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Spends a token of one socket's bucket for `message` (made full on its first message of that type); throws
 * RateLimitedException, saying how long to wait, when there is none.
 */
export function spendToken(buckets: Map<string, TokenBucket>, message: LiveMessageName, now: number): void {
  let bucket = buckets.get(message);
  if (!bucket) {
    bucket = new TokenBucket(MESSAGE_RATES[message] ?? DEFAULT_RATE, now);
    buckets.set(message, bucket);
  }
  if (!bucket.take(now)) throw new RateLimitedException(message, bucket.wait());
}

/**
 * Runs before each gateway handler (and before validation): an over-limit message is answered with status 429
 * and code RATE_LIMITED, and nothing of it is stored or broadcast.
 */
@Injectable()
export class LiveRateLimitGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const ws = context.switchToWs();
    const socket = ws.getClient<{ data: { buckets?: Map<string, TokenBucket> } }>();
    spendToken((socket.data.buckets ??= new Map()), ws.getPattern() as LiveMessageName, Date.now());
    return true;
  }
}
