import { foldLinkStats } from './link-stats.js';

describe(foldLinkStats.name, () => {
  const report = (bitrateKbps: number, lossPct: number, jitterMs: number, framesDecoded = 0) => ({ bitrateKbps, lossPct, jitterMs, framesDecoded });

  it('starts a summary from the first report', () => {
    expect(foldLinkStats(undefined, report(800, 0.5, 10, 25))).toEqual({
      samples: 1,
      avgBitrateKbps: 800,
      maxLossPct: 0.5,
      avgJitterMs: 10,
      framesDecoded: 25,
      grade: 'good',
    });
  });

  it('keeps running means, the worst loss and the latest frame count', () => {
    const first = foldLinkStats(undefined, report(900, 4, 20, 10));
    const second = foldLinkStats(first, report(300, 1, 40, 70));
    expect(second).toMatchObject({ samples: 2, avgBitrateKbps: 600, maxLossPct: 4, avgJitterMs: 30, framesDecoded: 70 });
  });

  it('grades each report by its loss and jitter', () => {
    expect(foldLinkStats(undefined, report(500, 1, 30)).grade).toBe('good');
    expect(foldLinkStats(undefined, report(500, 1.5, 10)).grade).toBe('fair');
    expect(foldLinkStats(undefined, report(500, 0, 31)).grade).toBe('fair');
    expect(foldLinkStats(undefined, report(500, 6, 10)).grade).toBe('poor');
    expect(foldLinkStats(undefined, report(500, 0, 61)).grade).toBe('poor');
  });
});
