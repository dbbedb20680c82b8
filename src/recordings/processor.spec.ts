import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaSource } from '../contracts/live.js';
import { chaptersOf, readParts } from './processor.js';

const partOf = (sources: MediaSource[] | null, durations: number[], name = 'part-001') => ({
  part: name,
  segments: durations.map((duration, i) => ({ uri: `${name}/seg-${i}.ts`, duration })),
  ended: true,
  meta: sources && { index: 1, startedAt: '2026-09-28T01:00:00.000Z', sources },
});

describe(chaptersOf.name, () => {
  it('marks where the screen share starts in the joined timeline, to a tenth of a second', () => {
    const sut = chaptersOf([partOf(['mic', 'camera'], [4, 4, 2.04]), partOf(['mic', 'screen'], [4]), partOf(['mic'], [4]), partOf(['screen', 'camera'], [4])]);
    expect(sut).toEqual([
      { atSeconds: 10, kind: 'screen' },
      { atSeconds: 18, kind: 'screen' },
    ]);
  });

  it('marks a class that starts with the screen at 0, and a screen share that goes on across parts once', () => {
    expect(chaptersOf([partOf(['screen'], [4]), partOf(['screen', 'mic'], [4]), partOf(['screen', 'camera'], [4])])).toEqual([{ atSeconds: 0, kind: 'screen' }]);
  });

  it('skips parts without segments: they take no time and do not end a screen share', () => {
    const sut = chaptersOf([partOf(['camera'], [4]), partOf(['screen'], []), partOf(['screen'], [4]), partOf(['camera'], []), partOf(['screen'], [4])]);
    expect(sut).toEqual([{ atSeconds: 4, kind: 'screen' }]);
  });

  it('takes a part without its description for one without the screen', () => {
    expect(chaptersOf([partOf(null, [4]), partOf(['screen'], [4])])).toEqual([{ atSeconds: 4, kind: 'screen' }]);
    expect(chaptersOf([partOf(null, [4])])).toEqual([]);
  });
});

describe(readParts.name, () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'tongke-parts-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const playlist = (names: string[], ended = true) =>
    ['#EXTM3U', '#EXT-X-TARGETDURATION:4', ...names.flatMap((n) => ['#EXTINF:4.000000,', n]), ...(ended ? ['#EXT-X-ENDLIST'] : []), ''].join('\n');
  const write = async (folder: string, files: Record<string, string>) => {
    await mkdir(join(dir, folder), { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, folder, name), text);
  };

  it("lists the part folders oldest first, each with its playlist's segments and its description", async () => {
    await write('part-002', { 'index.m3u8': playlist(['seg-00000.ts']), 'part.json': '{"index":2,"startedAt":"2026-09-28T01:10:00.000Z","sources":["screen"]}' });
    await write('part-001', { 'index.m3u8': playlist(['seg-00000.ts', 'seg-00001.ts'], false) });
    await write('not-a-part', { 'index.m3u8': playlist(['seg-00000.ts']) });
    await write('part-1', { 'index.m3u8': playlist(['seg-00000.ts']) });
    const sut = await readParts(dir);
    expect(sut.map((p) => [p.part, p.segments.map((s) => s.uri), p.ended, p.meta?.sources ?? null])).toEqual([
      ['part-001', ['part-001/seg-00000.ts', 'part-001/seg-00001.ts'], false, null],
      ['part-002', ['part-002/seg-00000.ts'], true, ['screen']],
    ]);
  });

  it('orders parts by number, part-1000 after part-999', async () => {
    for (const part of ['part-1000', 'part-999', 'part-101']) await write(part, { 'index.m3u8': playlist(['seg-00000.ts']) });
    expect((await readParts(dir)).map((p) => p.part)).toEqual(['part-101', 'part-999', 'part-1000']);
  });

  it("reads a rendition's playlist from its folder in each part, with the part's description", async () => {
    await write('part-001', { 'part.json': '{"index":1,"startedAt":"2026-09-28T01:00:00.000Z","sources":["mic"]}' });
    await write('part-001/audio', { 'index.m3u8': playlist(['seg-00000.ts']) });
    const [sut] = await readParts(dir, false, 'audio');
    expect(sut).toMatchObject({ part: 'part-001/audio', segments: [{ uri: 'part-001/audio/seg-00000.ts', duration: 4 }], meta: { sources: ['mic'] } });
  });

  it('gives a part with no playlist yet, or an unreadable description, no segments and no description', async () => {
    await write('part-001', { 'part.json': '{ cut sho' });
    expect(await readParts(dir)).toEqual([{ part: 'part-001', segments: [], ended: false, meta: null }]);
  });

  it('gives nothing for a recording folder that does not exist', async () => {
    expect(await readParts(join(dir, 'never-made'))).toEqual([]);
  });

  it('while live, lists what the playlists say without looking at the segments', async () => {
    await write('part-001', { 'index.m3u8': playlist(['seg-00000.ts', 'seg-00001.ts']) });
    expect((await readParts(dir))[0].segments).toHaveLength(2);
  });

  it('after the class, leaves out segments that are missing or empty and renames one left under its temporary name', async () => {
    await write('part-001', {
      'index.m3u8': playlist(['seg-00000.ts', 'seg-00001.ts', 'seg-00002.ts', 'seg-00003.ts']),
      'seg-00000.ts': 'media',
      'seg-00001.ts': '',
      'seg-00003.ts.tmp': 'media',
    });
    const [sut] = await readParts(dir, true);
    expect(sut.segments.map((s) => s.uri)).toEqual(['part-001/seg-00000.ts', 'part-001/seg-00003.ts']);
    expect((await readdir(join(dir, 'part-001'))).sort()).toEqual(['index.m3u8', 'seg-00000.ts', 'seg-00001.ts', 'seg-00003.ts']);
  });
});
