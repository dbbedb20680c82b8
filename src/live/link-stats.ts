import type { LinkQuality, LinkStats } from '../contracts/live.js';

const EMPTY: LinkQuality = { samples: 0, avgBitrateKbps: 0, maxLossPct: 0, avgJitterMs: 0, framesDecoded: 0, grade: 'good' };

/**
 * Folds one link report of a classroom into its running summary: running means of bitrate and jitter, the worst
 * loss, the latest frame count, and a grade from this report's loss and jitter (poor over 5 % or 60 ms, fair over
 * 1 % or 30 ms).
 */
export function foldLinkStats(previous: LinkQuality | undefined, s: LinkStats): LinkQuality {
  const q = previous ?? EMPTY;
  const n = q.samples + 1;
  return {
    samples: n,
    avgBitrateKbps: round(q.avgBitrateKbps + (s.bitrateKbps - q.avgBitrateKbps) / n),
    maxLossPct: round(Math.max(q.maxLossPct, s.lossPct)),
    avgJitterMs: round(q.avgJitterMs + (s.jitterMs - q.avgJitterMs) / n),
    framesDecoded: s.framesDecoded,
    grade: s.lossPct > 5 || s.jitterMs > 60 ? 'poor' : s.lossPct > 1 || s.jitterMs > 30 ? 'fair' : 'good',
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
