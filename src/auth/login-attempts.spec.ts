import { loadConfig } from '../config/app.config.js';
import { LoginAttempts, MAX_SLOWDOWN_MS, slowdownMs } from './login-attempts.js';

describe('login slow-down per account, across addresses', () => {
  const config = loadConfig({ NODE_ENV: 'test', LOGIN_THROTTLE_LIMIT: '10', DATA_DIR: '/tmp' });

  it('waits nothing for the first failures, then doubles, up to a cap', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 30].map(slowdownMs)).toEqual([0, 0, 500, 1000, 2000, 4000, MAX_SLOWDOWN_MS, MAX_SLOWDOWN_MS]);
  });

  it('slows down guesses at one account from many addresses, never refuses its owner, and forgets after a success', async () => {
    const slept: number[] = [];
    const attempts = new LoginAttempts(config, async (ms) => void slept.push(ms));
    // Twelve addresses, one failed guess each: no address reaches its own limit of 10.
    for (let i = 0; i < 12; i++) await attempts.begin(`203.0.113.${i}`, 'teacher@school.cn');
    expect(slept).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    // The owner, from the school's address: slowed, not locked out.
    const owner = await attempts.begin('198.51.100.1', 'teacher@school.cn');
    expect(owner.delayedMs).toBe(MAX_SLOWDOWN_MS);
    await owner.succeeded();
    expect((await attempts.begin('198.51.100.1', 'teacher@school.cn')).delayedMs).toBe(0);
    // Other accounts are not slowed by it.
    expect((await attempts.begin('203.0.113.1', 'someone.else@school.cn')).delayedMs).toBe(0);
  });

  it('queues parallel slowed logins of one account one after another, so parallel guesses gain nothing', async () => {
    const pending: Array<() => void> = [];
    const attempts = new LoginAttempts(config, (ms) => new Promise<void>((resolve) => pending.push(() => resolve(void ms))));
    for (let i = 0; i < 5; i++) await attempts.begin(`203.0.113.${i}`, 'head@school.cn');
    const parallel = Array.from({ length: 4 }, (_, i) => attempts.begin(`198.51.100.${i}`, 'head@school.cn'));
    await new Promise((r) => setTimeout(r, 20));
    // Only the first is waiting; the others wait for it.
    expect(pending).toHaveLength(1);
    for (let done = 1; done <= 4; done++) {
      pending[done - 1]();
      await new Promise((r) => setTimeout(r, 20));
      expect(pending).toHaveLength(Math.min(done + 1, 4));
    }
    expect((await Promise.all(parallel)).map((a) => a.delayedMs)).toEqual([500, 1000, 2000, 4000]);
  });
});
