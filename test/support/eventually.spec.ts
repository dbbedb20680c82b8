import { eventually } from './eventually.js';

describe(eventually.name, () => {
  it('resolves with the first truthy value, trying again after falsy values and failed expectations', async () => {
    let tries = 0;
    const sut = eventually(
      () => {
        tries++;
        if (tries === 1) return 0;
        expect(tries).toBeGreaterThan(2);
        return { tries };
      },
      { what: 'the third try', intervalMs: 5 },
    );
    await expect(sut).resolves.toEqual({ tries: 3 });
  });

  it('awaits an async probe', async () => {
    let n = 0;
    await expect(eventually(async () => ++n >= 3 && 'done', { what: 'three', intervalMs: 1 })).resolves.toBe('done');
  });

  it('times out saying what it waited for and what the probe last returned', async () => {
    const started = Date.now();
    await expect(eventually(() => null, { what: 'a row that never comes', timeoutMs: 100, intervalMs: 10 })).rejects.toThrow(
      /^Timed out after \d+ ms \(\d+ tries\) waiting for a row that never comes; it last returned null$/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('times out with the last failed expectation as its message and cause', async () => {
    const sut = eventually(
      () => {
        expect(2).toBe(3);
        return true;
      },
      { what: 'two to be three', timeoutMs: 50, intervalMs: 10 },
    );
    const error = (await sut.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/waiting for two to be three; it last threw: .*toBe/s);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('gives up on a try that hangs past the deadline', async () => {
    const sut = eventually(() => new Promise<boolean>(() => undefined), { what: 'an answer', timeoutMs: 50, intervalMs: 10 });
    await expect(sut).rejects.toThrow(/waiting for an answer; its last try had not answered$/);
  });
});
