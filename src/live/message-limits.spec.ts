import { HttpStatus } from '@nestjs/common';
import { LiveMessage, type LiveMessageName } from '../contracts/live.js';
import { RateLimitedException, spendToken, TokenBucket } from './message-limits.js';

/** How many of `count` messages sent `everyMs` apart from `start` are let through. */
const admitted = (buckets: Map<string, TokenBucket>, message: LiveMessageName, count: number, everyMs: number, start = 0) => {
  let passed = 0;
  for (let i = 0; i < count; i++) {
    try {
      spendToken(buckets, message, start + i * everyMs);
      passed++;
    } catch (e) {
      if (!(e instanceof RateLimitedException)) throw e;
    }
  }
  return passed;
};

/** The exception `spendToken` throws, or undefined. */
const refusal = (buckets: Map<string, TokenBucket>, message: LiveMessageName, now: number) => {
  try {
    spendToken(buckets, message, now);
    return undefined;
  } catch (e) {
    return e as RateLimitedException;
  }
};

describe(TokenBucket.name, () => {
  let sut: TokenBucket;
  beforeEach(() => (sut = new TokenBucket({ perSecond: 1, burst: 3 }, 10_000)));

  it('lets a full burst through at once, and not one more', () => {
    expect([1, 2, 3, 4].map(() => sut.take(10_000))).toEqual([true, true, true, false]);
  });

  it('refills at its rate, a fraction of a token not being enough', () => {
    for (let i = 0; i < 3; i++) sut.take(10_000);
    expect(sut.take(10_999)).toBe(false);
    expect(sut.take(11_000)).toBe(true);
    expect(sut.take(11_000)).toBe(false);
  });

  it('holds no more than its burst after a quiet spell', () => {
    const after = Array.from({ length: 5 }, () => sut.take(3_600_000));
    expect(after).toEqual([true, true, true, false, false]);
  });

  it('says how long until the next token, and nothing while it has one', () => {
    expect(sut.wait()).toBe(0);
    for (let i = 0; i < 3; i++) sut.take(10_000);
    expect(sut.wait()).toBe(1000);
    sut.take(10_250);
    expect(sut.wait()).toBe(750);
  });

  it('is not emptied when the clock steps back, and refills from the new time on', () => {
    // Date.now() is the wall clock: NTP or a resumed VM can move it back. Nothing was sent "in between" to owe for.
    sut.take(10_000);
    expect(sut.take(10_000 - 3_600_000)).toBe(true);
    expect(sut.take(10_000 - 3_600_000)).toBe(true);
    expect(sut.take(10_000 - 3_600_000)).toBe(false);
    expect(sut.take(10_000 - 3_599_000)).toBe(true);
  });

  it('does not spend a token it refuses', () => {
    for (let i = 0; i < 3; i++) sut.take(10_000);
    for (let t = 10_100; t < 11_000; t += 100) expect(sut.take(t)).toBe(false);
    expect(sut.take(11_010)).toBe(true);
  });
});

describe(spendToken.name, () => {
  let buckets: Map<string, TokenBucket>;
  beforeEach(() => (buckets = new Map()));

  it('lets a chat burst of 5 through, then 1 a second', () => {
    expect(admitted(buckets, LiveMessage.SendChat, 10, 0)).toBe(5);
    expect(admitted(buckets, LiveMessage.SendChat, 10, 1000, 1000)).toBe(10);
    expect(admitted(buckets, LiveMessage.SendChat, 10, 500, 11_000)).toBe(5); // twice as often: every other one
  });

  it('lets link statistics through once in 2 s after a burst of 2', () => {
    expect(admitted(buckets, LiveMessage.ReportStats, 4, 0)).toBe(2);
    expect(admitted(buckets, LiveMessage.ReportStats, 4, 1000, 1000)).toBe(2);
  });

  it('lets hands up and down through 2 a second, each type counted on its own', () => {
    expect(admitted(buckets, LiveMessage.RaiseHand, 6, 0)).toBe(4);
    expect(admitted(buckets, LiveMessage.LowerHand, 6, 0)).toBe(4);
    expect(admitted(buckets, LiveMessage.RaiseHand, 4, 500, 500)).toBe(4);
  });

  it('only stops floods of the signalling a page sends at joining', () => {
    expect(admitted(buckets, LiveMessage.Consume, 100, 0)).toBe(60);
    expect(admitted(buckets, LiveMessage.Produce, 60, 0)).toBe(60);
    expect(admitted(buckets, LiveMessage.Consume, 20, 50, 50)).toBe(20);
  });

  it('keeps buckets apart for each socket', () => {
    const other = new Map<string, TokenBucket>();
    admitted(buckets, LiveMessage.SendChat, 5, 0);
    expect(refusal(buckets, LiveMessage.SendChat, 0)).toBeInstanceOf(RateLimitedException);
    expect(refusal(other, LiveMessage.SendChat, 0)).toBeUndefined();
  });

  it('refuses with 429 and RATE_LIMITED, saying in whole seconds how long to wait', () => {
    admitted(buckets, LiveMessage.ReportStats, 2, 0);
    const sut = refusal(buckets, LiveMessage.ReportStats, 500)!;
    expect(sut.getStatus()).toBe(HttpStatus.TOO_MANY_REQUESTS);
    expect(sut.getResponse()).toEqual({ message: 'Too many "stats:report" messages; wait 2 s', code: 'RATE_LIMITED' });
  });

  it('never tells a client to wait less than a second', () => {
    admitted(buckets, LiveMessage.RaiseHand, 4, 0);
    const sut = refusal(buckets, LiveMessage.RaiseHand, 400)!; // 0.8 of a token: 100 ms to the next
    expect(sut.getResponse()).toMatchObject({ message: 'Too many "hand:raise" messages; wait 1 s' });
  });
});
