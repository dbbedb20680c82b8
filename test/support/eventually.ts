import { inspect } from 'node:util';

export interface EventuallyOptions {
  /** What is waited for, in words: the timeout's message reads "… waiting for <what>". */
  what: string;
  /**
   * How long to keep trying, in ms (10 s unless told). The last try starts at the deadline; a try that hangs is
   * given up after the time left, but never less than `intervalMs`, and counts as failed.
   */
  timeoutMs?: number;
  /** The pause between two tries, in ms (100 ms unless told). */
  intervalMs?: number;
}

type Falsy = false | 0 | '' | null | undefined;

/**
 * Waits for a condition instead of a fixed time: calls `probe` (sync or async) until it returns a truthy value
 * without throwing, and resolves with that value. A probe may also assert, with `expect`, and then return the
 * value it checked (or `true`): a failed expectation is a "not yet", and its message is what a timeout reports.
 * A probe that returns nothing never passes, so one that only asserts must end with `return true`.
 *
 * The first try is at once, then one `intervalMs` after each failed one, the last at `timeoutMs`; then it throws
 * an error that names what was waited for and what the probe last returned or threw (that error is its `cause`).
 *
 * For waiting on a condition only. A wait that proves something does *not* happen ("no second part starts")
 * stays a fixed, named pause in the test, with a comment saying why it is long enough.
 *
 * @example
 *   const pid = await eventually(() => recorder.ffmpegPid, { what: "the recorder's ffmpeg to start" });
 *   const row = await eventually(async () => {
 *     const r = await attendanceRow();
 *     return r.left_at !== null && r;
 *   }, { what: 'the classroom to be recorded as left' });
 *   await eventually(() => {
 *     expect(packets()).toBeGreaterThan(30); // the timeout's message says how many there were
 *     return true;
 *   }, { what: 'the consumer to receive' });
 */
export async function eventually<T>(probe: () => T | Promise<T>, options: EventuallyOptions): Promise<Exclude<T, Falsy>> {
  const { what, timeoutMs = 10_000, intervalMs = 100 } = options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let tries = 0;
  let last: { value: unknown } | { error: unknown } | { pending: true };
  for (;;) {
    tries++;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(intervalMs, deadline - Date.now()))));
    try {
      const value = await Promise.race([Promise.resolve().then(probe), late]);
      if (value === TIMED_OUT) last = { pending: true };
      else if (value) return value as Exclude<T, Falsy>;
      else last = { value };
    } catch (error) {
      last = { error };
    } finally {
      clearTimeout(timer);
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, left)));
  }
  const ms = Date.now() - started;
  const lastly =
    'error' in last
      ? `it last threw: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`
      : 'value' in last
        ? `it last returned ${inspect(last.value, { depth: 4, breakLength: Infinity })}`
        : 'its last try had not answered';
  throw new Error(`Timed out after ${ms} ms (${tries} tries) waiting for ${what}; ${lastly}`, { cause: 'error' in last ? last.error : undefined });
}

const TIMED_OUT = Symbol('timed out');
