import type { MediaSource } from '../contracts/live.js';

/** A part's folder in the recording's folder: `part-007`. */
export const partFolder = (index: number) => `part-${String(index).padStart(3, '0')}`;

/**
 * What a part records, as one string: a part is started again when it changes (a camera turned off, a screen share
 * started, a producer replaced), not when the same producers are listed in another order.
 */
export const mediaSignature = (sources: readonly { source: MediaSource; producer: { id: string } }[]) =>
  sources
    .map((s) => `${s.source}:${s.producer.id}`)
    .sort()
    .join(',');

/** ffmpeg's `-progress` output says the part has written media: `out_time_us` turns positive once the first frame is encoded and muxed. */
export const progressShowsMedia = (progress: string) => /out_time_us=[1-9]/.test(progress);

/** What a line ffmpeg prints on stderr asks of the recorder: to stop (the disk is full), a key frame (a decoder lost its reference), or nothing. */
export function stderrAsks(line: string): 'stop' | 'key frame' | null {
  if (/No space left on device/i.test(line)) return 'stop';
  if (/keyframe|key frame|corrupt|decod|missing reference|concealing/i.test(line)) return 'key frame';
  return null;
}

/** Retry delays after a part that wrote nothing: 1 s, doubling, at most a minute. */
const EMPTY_RETRY_FIRST_MS = 1000;
const EMPTY_RETRY_MAX_MS = 60_000;
/** After a part that wrote media, the next one starts at once (near enough). */
const RETRY_AFTER_MEDIA_MS = 200;
/** This many exits within a minute and the recorder gives up. */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 60_000;

/** How long the recorder waits before the next part after `inARow` parts in a row wrote nothing. */
export const emptyPartDelay = (inARow: number) => Math.min(EMPTY_RETRY_MAX_MS, EMPTY_RETRY_FIRST_MS * 2 ** (inARow - 1));

/**
 * When the next part may start after a part's ffmpeg exited by itself. A part that wrote nothing will likely be
 * followed by another that writes nothing (the same cause), so each in a row waits longer; a part that wrote media
 * resets that. Five exits within a minute, of whatever kind, and the recorder gives up.
 */
export class PartRestarts {
  private exits: number[] = [];
  private emptyInARow = 0;
  private retryAt = 0;

  /** A part has written media: the next part that writes nothing starts the back-off from 1 s again. */
  wrote(): void {
    this.emptyInARow = 0;
  }

  /** A part's ffmpeg exited by itself at `now`: milliseconds until the next part, or null to give up. */
  exited(wroteMedia: boolean, now: number): number | null {
    this.exits = [...this.exits.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.exits.length >= CRASH_LIMIT) return null;
    if (wroteMedia) return RETRY_AFTER_MEDIA_MS;
    this.emptyInARow++;
    const delay = emptyPartDelay(this.emptyInARow);
    this.retryAt = now + delay;
    return delay;
  }

  /** Milliseconds from `now` until a part may start (0: it may now). */
  backOffLeft(now: number): number {
    return Math.max(0, this.retryAt - now);
  }
}
