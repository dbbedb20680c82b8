import { joinPlaylists, masterPlaylist, overlapTrims, parsePartPlaylist, type PartPlaylist, totalDuration } from './hls.js';

/** An index.m3u8 as ffmpeg's HLS muxer writes it. */
const ffmpegPlaylist = (segments: [string, number][], ended = false) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:4',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    ...segments.flatMap(([uri, duration]) => [`#EXTINF:${duration.toFixed(6)},`, uri]),
    ...(ended ? ['#EXT-X-ENDLIST'] : []),
    '',
  ].join('\n');

const part = (name: string, durations: number[]): PartPlaylist => ({
  part: name,
  segments: durations.map((duration, i) => ({ uri: `${name}/seg-${String(i).padStart(5, '0')}.ts`, duration })),
  ended: true,
});

/** The lines of a playlist that describe media (segments and discontinuities), without the header. */
const body = (playlist: string) => playlist.split('\n').filter((l) => l.startsWith('#EXTINF:') || l === '#EXT-X-DISCONTINUITY' || /^[^#]/.test(l));

describe(parsePartPlaylist.name, () => {
  it('lists each whole segment with its duration, under the part folder', () => {
    const sut = parsePartPlaylist('part-002', ffmpegPlaylist([['seg-00000.ts', 4.004], ['seg-00001.ts', 3.996]]));
    expect(sut).toEqual({
      part: 'part-002',
      segments: [
        { uri: 'part-002/seg-00000.ts', duration: 4.004 },
        { uri: 'part-002/seg-00001.ts', duration: 3.996 },
      ],
      ended: false,
    });
  });

  it('says the part ended only when ffmpeg closed the playlist', () => {
    expect(parsePartPlaylist('part-001', ffmpegPlaylist([['seg-00000.ts', 4]], true)).ended).toBe(true);
    expect(parsePartPlaylist('part-001', ffmpegPlaylist([['seg-00000.ts', 4]], false)).ended).toBe(false);
  });

  it('reads a playlist with Windows line endings and stray spaces', () => {
    const text = '#EXTM3U\r\n#EXTINF:2.500000,\r\n  seg-00000.ts  \r\n#EXT-X-ENDLIST\r\n';
    expect(parsePartPlaylist('part-001', text)).toEqual({ part: 'part-001', segments: [{ uri: 'part-001/seg-00000.ts', duration: 2.5 }], ended: true });
  });

  it('keeps a segment whose duration line is followed by other tags before its name (its wall-clock start among them)', () => {
    const text = '#EXTM3U\n#EXTINF:4.000000,\n#EXT-X-PROGRAM-DATE-TIME:2026-09-28T01:00:00.000+0000\nseg-00000.ts\n';
    expect(parsePartPlaylist('part-001', text).segments).toEqual([{ uri: 'part-001/seg-00000.ts', duration: 4, startsAt: Date.parse('2026-09-28T01:00:00.000Z') }]);
  });

  it('skips a name that is not a plain file name in the part folder, so a playlist cannot point elsewhere', () => {
    const text = ['#EXTINF:4,', '../../etc/passwd', '#EXTINF:4,', 'https://example.com/seg.ts', '#EXTINF:4,', 'seg 1.ts', '#EXTINF:4,', 'seg-00003.ts'].join('\n');
    expect(parsePartPlaylist('part-001', text).segments).toEqual([{ uri: 'part-001/seg-00003.ts', duration: 4 }]);
  });

  it('does not count a name without a duration before it, nor a duration whose segment is not listed yet', () => {
    const text = '#EXTM3U\nseg-00000.ts\n#EXTINF:4.000000,\nseg-00001.ts\n#EXTINF:4.000000,\n';
    expect(parsePartPlaylist('part-001', text).segments.map((s) => s.uri)).toEqual(['part-001/seg-00001.ts']);
  });

  it('gives an empty, unfinished part for a playlist ffmpeg has not written', () => {
    expect(parsePartPlaylist('part-004/low', '')).toEqual({ part: 'part-004/low', segments: [], ended: false });
  });
});

describe(joinPlaylists.name, () => {
  it('is an event playlist without an end while the class is live', () => {
    const sut = joinPlaylists([part('part-001', [4, 4])], true);
    expect(sut).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-DISCONTINUITY-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXTINF:4.000000,',
        'part-001/seg-00000.ts',
        '#EXTINF:4.000000,',
        'part-001/seg-00001.ts',
        '',
      ].join('\n'),
    );
  });

  it('is a video-on-demand playlist that ends once the class is over', () => {
    const sut = joinPlaylists([part('part-001', [4])], false).split('\n');
    expect(sut).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(sut).not.toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(sut.slice(-2)).toEqual(['#EXT-X-ENDLIST', '']);
  });

  it('marks a discontinuity between parts, each part being its own ffmpeg run with its own timestamps', () => {
    const sut = joinPlaylists([part('part-001', [4, 2.5]), part('part-002', [4]), part('part-003', [1])], false);
    expect(body(sut)).toEqual([
      '#EXTINF:4.000000,',
      'part-001/seg-00000.ts',
      '#EXTINF:2.500000,',
      'part-001/seg-00001.ts',
      '#EXT-X-DISCONTINUITY',
      '#EXTINF:4.000000,',
      'part-002/seg-00000.ts',
      '#EXT-X-DISCONTINUITY',
      '#EXTINF:1.000000,',
      'part-003/seg-00000.ts',
    ]);
  });

  it('leaves out parts without segments, with no discontinuity for them and none before the first segment', () => {
    const sut = joinPlaylists([part('part-001', []), part('part-002', [4]), part('part-003', []), part('part-004', [4])], true);
    expect(body(sut)).toEqual(['#EXTINF:4.000000,', 'part-002/seg-00000.ts', '#EXT-X-DISCONTINUITY', '#EXTINF:4.000000,', 'part-004/seg-00000.ts']);
  });

  it('sets the target duration to the longest segment rounded up, over every part', () => {
    expect(joinPlaylists([part('part-001', [4, 4.02]), part('part-002', [3])], false)).toContain('#EXT-X-TARGETDURATION:5\n');
    expect(joinPlaylists([part('part-001', [0.4]), part('part-002', [6])], false)).toContain('#EXT-X-TARGETDURATION:6\n');
  });

  it('keeps a target duration of at least one second, even with nothing recorded yet', () => {
    expect(joinPlaylists([part('part-001', [0.2])], true)).toContain('#EXT-X-TARGETDURATION:1\n');
    expect(joinPlaylists([], true)).toContain('#EXT-X-TARGETDURATION:1\n');
  });

  it('only appends to a live playlist as segments and parts arrive, so a viewer can rewind to the start', () => {
    const before = joinPlaylists([part('part-001', [4, 4])], true);
    const after = joinPlaylists([part('part-001', [4, 4, 4]), part('part-002', [4])], true);
    expect(after.startsWith(before)).toBe(true);
  });
});

describe(totalDuration.name, () => {
  it('adds up the segments of every part', () => {
    expect(totalDuration([part('part-001', [4, 2.5]), part('part-002', []), part('part-003', [1.25])])).toBeCloseTo(7.75, 9);
    expect(totalDuration([])).toBe(0);
  });
});

describe(masterPlaylist.name, () => {
  it('lists each rendition with what it costs, and a resolution only for those with a picture', () => {
    const sut = masterPlaylist([
      { uri: 'index.m3u8', bandwidth: 1_800_000, resolution: '1280x720', codecs: 'avc1.640028,mp4a.40.2' },
      { uri: 'audio.m3u8', bandwidth: 80_000, resolution: null, codecs: 'mp4a.40.2' },
    ]);
    expect(sut).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=1800000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1280x720',
        'index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=80000,CODECS="mp4a.40.2"',
        'audio.m3u8',
        '',
      ].join('\n'),
    );
  });
});

describe(overlapTrims.name, () => {
  const at = (s: number) => Date.parse('2026-12-07T01:00:00Z') + s * 1000;
  const part = (...segments: [start: number, duration: number][]) => ({ segments: segments.map(([start, duration], i) => ({ uri: `p/seg-${i}.ts`, duration, startsAt: at(start) })) });

  it('cuts a part where the next one starts: its later segments go, the one running on past that start is shortened', () => {
    // Part 1 records on for 3.5 s after part 2 began at 10 s (make before break).
    const sut = overlapTrims([part([0, 4], [4, 4], [8, 4], [12, 1.5]), part([10, 4], [14, 4])]);
    expect(sut).toEqual([
      { keep: 3, cutTo: 2 },
      { keep: 2, cutTo: null },
    ]);
  });

  it('keeps whole a part that ends before the next starts, and the last part', () => {
    expect(overlapTrims([part([0, 4], [4, 4]), part([9, 4])])).toEqual([
      { keep: 2, cutTo: null },
      { keep: 1, cutTo: null },
    ]);
  });

  it('drops a segment of which less than a tenth of a second comes before the next part, and skips empty parts', () => {
    expect(overlapTrims([part([0, 4], [4, 4]), { segments: [] }, part([4.05, 4])])).toEqual([
      { keep: 1, cutTo: null },
      { keep: 0, cutTo: null },
      { keep: 1, cutTo: null },
    ]);
  });

  it('keeps parts whole without wall-clock times (recorded before they were written), and changes nothing the second time', () => {
    const old = { segments: [{ uri: 'p/seg-0.ts', duration: 4 }] };
    expect(overlapTrims([old, part([2, 4])])).toEqual([
      { keep: 1, cutTo: null },
      { keep: 1, cutTo: null },
    ]);
    expect(overlapTrims([part([0, 4], [4, 4], [8, 2]), part([10, 4])])[0]).toEqual({ keep: 3, cutTo: null });
  });
});

describe('part playlists with wall-clock times', () => {
  it('reads each segment’s start from #EXT-X-PROGRAM-DATE-TIME, with ffmpeg’s +0000 offset', () => {
    const sut = parsePartPlaylist('part-002', ['#EXTM3U', '#EXTINF:4.000000,', '#EXT-X-PROGRAM-DATE-TIME:2026-12-05T01:53:26.585+0000', 'seg-00000.ts', '#EXTINF:4.000000,', 'seg-00001.ts', ''].join('\n'));
    expect(sut.segments).toEqual([
      { uri: 'part-002/seg-00000.ts', duration: 4, startsAt: Date.parse('2026-12-05T01:53:26.585Z') },
      { uri: 'part-002/seg-00001.ts', duration: 4 },
    ]);
  });
});
