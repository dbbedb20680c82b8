import { emptyPartDelay, mediaSignature, partFolder, PartRestarts, progressShowsMedia, stderrAsks } from './recorder-parts.js';

const s = (seconds: number) => seconds * 1000;
const MINUTE = 60_000;

describe(PartRestarts.name, () => {
  let sut: PartRestarts;
  beforeEach(() => (sut = new PartRestarts()));

  it('backs off 1 s, doubling, at most a minute, while parts in a row write nothing', () => {
    // More than a minute apart, so that the limit of five exits a minute is not what answers.
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => sut.exited(false, i * 2 * MINUTE));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('starts the next part at once after one that wrote media, without backing off', () => {
    expect(sut.exited(true, 0)).toBe(200);
    expect(sut.backOffLeft(0)).toBe(0);
  });

  it('starts the back-off over once a part writes media', () => {
    sut.exited(false, 0);
    sut.exited(false, 2 * MINUTE);
    sut.wrote();
    expect(sut.exited(true, 4 * MINUTE)).toBe(200);
    expect(sut.exited(false, 6 * MINUTE)).toBe(1000);
  });

  it('holds back the next part until the back-off is over', () => {
    expect(sut.backOffLeft(0)).toBe(0);
    sut.exited(false, s(10));
    sut.exited(false, s(12));
    expect(sut.backOffLeft(s(12))).toBe(2000);
    expect(sut.backOffLeft(s(13.5))).toBe(500);
    expect(sut.backOffLeft(s(14))).toBe(0);
    expect(sut.backOffLeft(s(100))).toBe(0);
  });

  it('gives up at the fifth exit within a minute, whether or not the parts wrote media', () => {
    expect(sut.exited(true, s(0))).toBe(200);
    expect(sut.exited(false, s(10))).toBe(1000);
    expect(sut.exited(true, s(20))).toBe(200);
    expect(sut.exited(false, s(30))).toBe(2000);
    expect(sut.exited(true, s(59.999))).toBeNull();
  });

  it('forgets exits once they are a minute old', () => {
    for (const at of [0, 1, 2, 3]) sut.exited(true, s(at));
    expect(sut.exited(true, s(60))).toBe(200); // the exit at 0 s is a minute old: four within the minute
    expect(sut.exited(true, s(60.5))).toBeNull(); // 1, 2, 3, 60 and 60.5 s
  });
});

describe(emptyPartDelay.name, () => {
  it('is 1 s for the first empty part and never more than a minute', () => {
    expect(emptyPartDelay(1)).toBe(1000);
    expect(emptyPartDelay(6)).toBe(32_000);
    expect(emptyPartDelay(7)).toBe(60_000);
    expect(emptyPartDelay(1000)).toBe(60_000);
  });
});

describe(mediaSignature.name, () => {
  const source = (kind: 'mic' | 'camera' | 'screen', id: string) => ({ source: kind, producer: { id } });

  it('is the same for the same producers in any order, so a reordered list starts no new part', () => {
    expect(mediaSignature([source('camera', 'p1'), source('mic', 'p2')])).toBe(mediaSignature([source('mic', 'p2'), source('camera', 'p1')]));
  });

  it('changes when a source is added or left out, or its producer is replaced', () => {
    const now = mediaSignature([source('mic', 'p2'), source('camera', 'p1')]);
    expect(mediaSignature([source('mic', 'p2'), source('camera', 'p1'), source('screen', 'p3')])).not.toBe(now);
    expect(mediaSignature([source('mic', 'p2')])).not.toBe(now);
    expect(mediaSignature([source('mic', 'p2'), source('camera', 'p9')])).not.toBe(now);
    expect(mediaSignature([source('mic', 'p2'), source('screen', 'p1')])).not.toBe(now);
  });

  it('is empty for no media, unlike any recorded part', () => {
    expect(mediaSignature([])).toBe('');
    expect(mediaSignature([source('mic', 'p2')])).not.toBe('');
  });
});

describe(partFolder.name, () => {
  it('numbers parts with three digits at least', () => {
    expect(partFolder(1)).toBe('part-001');
    expect(partFolder(42)).toBe('part-042');
    expect(partFolder(1234)).toBe('part-1234');
  });
});

describe(progressShowsMedia.name, () => {
  it('sees media once the output time is positive', () => {
    expect(progressShowsMedia('frame=1\nfps=0.00\nout_time_us=40000\nout_time=00:00:00.040000\nprogress=continue\n')).toBe(true);
  });

  it('sees none while ffmpeg is still probing its input', () => {
    expect(progressShowsMedia('frame=0\nout_time_us=0\nout_time=00:00:00.000000\nprogress=continue\n')).toBe(false);
    expect(progressShowsMedia('out_time_us=N/A\nprogress=continue\n')).toBe(false);
    expect(progressShowsMedia('out_time_us=-9223372036854775807\nprogress=continue\n')).toBe(false);
    expect(progressShowsMedia('total_size=1048576\nprogress=continue\n')).toBe(false);
  });
});

describe(stderrAsks.name, () => {
  it('stops the recorder when the disk is full', () => {
    expect(stderrAsks('[hls @ 0x5581] Failed to open file seg-00012.ts: No space left on device')).toBe('stop');
  });

  it('asks for a key frame when a decoder lost its reference', () => {
    expect(stderrAsks('[vp8 @ 0x55d1] Discarding interframe without a prior keyframe!')).toBe('key frame');
    expect(stderrAsks('[h264 @ 0x55d1] decode_slice_header error')).toBe('key frame');
    expect(stderrAsks('[h264 @ 0x55d1] concealing 1200 DC, 1200 AC, 1200 MV errors in P frame')).toBe('key frame');
    expect(stderrAsks('[vp8 @ 0x55d1] Missing reference frame')).toBe('key frame');
  });

  it("asks for a key frame on ffmpeg's 'error while decoding' lines too", () => {
    expect(stderrAsks('[h264 @ 0x55d1] error while decoding MB 12 30, bytestream -7')).toBe('key frame');
    expect(stderrAsks('Error while decoding stream #0:1: Invalid data found when processing input')).toBe('key frame');
  });

  it('asks nothing of other warnings', () => {
    expect(stderrAsks('[aac @ 0x55d1] Queue input is backward in time')).toBeNull();
    expect(stderrAsks('')).toBeNull();
  });
});
