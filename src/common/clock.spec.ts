import { systemClock, type Timer } from './clock.js';

const handle = (t: Timer) => t.id as NodeJS.Timeout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('systemClock', () => {
  const sut = systemClock;
  const timers: Timer[] = [];
  afterEach(() => {
    for (const t of timers.splice(0)) sut.clearInterval(t);
  });

  it('tells the time of the machine', () => {
    const before = Date.now();
    const now = sut.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('runs a timer once, without keeping the process alive for it', async () => {
    let ran = 0;
    const t = sut.setTimeout(() => ran++, 5);
    timers.push(t);
    expect(handle(t).hasRef()).toBe(false);
    await sleep(40);
    expect(ran).toBe(1);
  });

  it('runs an interval until it is cleared, without keeping the process alive for it', async () => {
    let ran = 0;
    let thrice!: () => void;
    const ranThrice = new Promise<void>((r) => (thrice = r));
    const t = sut.setInterval(() => ++ran === 3 && thrice(), 5);
    timers.push(t);
    expect(handle(t).hasRef()).toBe(false);
    await ranThrice;
    sut.clearInterval(t);
    await sleep(30);
    expect(ran).toBe(3);
  });

  it('does not run a timer cleared before it is due', async () => {
    let ran = 0;
    const t = sut.setTimeout(() => ran++, 5);
    sut.clearTimeout(t);
    await sleep(40);
    expect(ran).toBe(0);
  });

  it('accepts clearing no timer', () => {
    expect(() => sut.clearTimeout(undefined)).not.toThrow();
    expect(() => sut.clearInterval(undefined)).not.toThrow();
  });
});
