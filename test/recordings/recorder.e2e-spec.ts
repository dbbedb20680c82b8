import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinPlaylists } from '../../src/recordings/hls.js';
import { reapOrphanRecorders } from '../../src/recordings/orphans.js';
import { finalizeRecording, readParts } from '../../src/recordings/processor.js';
import { Recorder, type RecorderSource } from '../../src/recordings/recorder.js';
import { Room } from '../../src/live/sfu/room.js';
import { WorkerPool } from '../../src/live/sfu/worker-pool.js';
import { eventually } from '../support/eventually.js';
import { silentProducer, teacherFeed, type TeacherFeed } from '../support/teacher-feed.js';
import { freePorts } from '../support/ports.js';

const TOOLS = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
const ENCODE = { preset: 'veryfast', segmentSeconds: 2, width: 1280, height: 720, fps: 25 };
/**
 * A pause for checks that something does NOT happen (no ffmpeg for a silent producer, no restart once stopped):
 * each says why its length is enough. Waits for something that does happen use eventually().
 */
const nothingHappensFor = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long recorded media take to show up: ffmpeg starting, a key frame, a 2 s segment; more on a busy machine. */
const MEDIA_WAIT = { timeoutMs: 30_000, intervalMs: 250 };

interface Probe {
  format: { duration: string };
  streams: { codec_type: string; codec_name: string }[];
}
const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name', '-of', 'json', file]).toString()) as Probe;

/** A real worker, a teacher made of ffmpeg, the recorder writing HLS with real ffmpeg, then the MP4. */
describe('Recorder', () => {
  let pool: WorkerPool;
  let room: Room;
  let dir: string;
  const feeds: TeacherFeed[] = [];
  const recorders: Recorder[] = [];
  const logged: string[] = [];
  const log = { log: () => undefined, warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };

  beforeAll(async () => {
    pool = new WorkerPool({ workers: 1, webRtcPort: await freePorts(1), listenIp: '127.0.0.1', maxConsumersPerRouter: 200, logLevel: 'warn' });
    room = await Room.create(pool, 'recording-test', 200);
    dir = await mkdtemp(join(tmpdir(), 'tongke-rec-'));
  });

  beforeEach(() => {
    logged.length = 0;
  });

  // Each test's teacher stops with it: four ffmpeg encoders at once would starve the later tests.
  afterEach(async () => {
    for (const r of recorders.splice(0)) await r.stop();
    for (const f of feeds.splice(0)) f.stop();
  });

  afterAll(async () => {
    for (const r of recorders) await r.stop();
    for (const f of feeds) f.stop();
    room?.close();
    await pool?.onModuleDestroy();
    await rm(dir, { recursive: true, force: true });
  });

  function recorder(sub: string, fatal: string[] = [], minFreeBytes = () => 0, ffmpegPath = 'ffmpeg'): Recorder {
    const r = new Recorder({
      dir: join(dir, sub),
      router: () => room.originRouter,
      firstPart: 1,
      nodeId: 'node-a',
      encode: ENCODE,
      ffmpegPath,
      minFreeBytes,
      log,
      onPart: () => undefined,
      onFatal: (reason) => fatal.push(reason),
    });
    recorders.push(r);
    return r;
  }

  const sources = (f: TeacherFeed, which: ('mic' | 'camera' | 'screen')[]): RecorderSource[] =>
    which.flatMap((s) => (f[s] ? [{ producer: f[s], source: s }] : []));

  /** The whole segments the live playlists of the recording in `sub` list so far, and their seconds. */
  async function listed(sub: string, rendition?: 'low' | 'audio') {
    const parts = await readParts(join(dir, sub), false, rendition);
    const segments = parts.flatMap((p) => p.segments);
    return { parts, segments, seconds: segments.reduce((t, seg) => t + seg.duration, 0) };
  }

  /** Until part `index` of the recording in `sub` lists a whole segment: that part has recorded media. */
  const partRecorded = (sub: string, index: number) =>
    eventually(async () => ((await listed(sub)).parts.find((p) => p.meta?.index === index)?.segments.length ?? 0) > 0, {
      what: `part ${index} of recording ${sub} to list a segment`,
      ...MEDIA_WAIT,
    });

  /**
   * What holds whatever the machine's load: the MP4 holds all the segments the parts listed (joining lost none),
   * and is no longer than the class was live, but for `overlapSeconds`. How close it comes to the live time is
   * measured in bench/recording-duration.mjs.
   */
  async function expectDuration(sub: string, durationSeconds: number, liveSeconds: number, overlapSeconds = 0) {
    const listedSeconds = (await readParts(join(dir, sub), true)).flatMap((p) => p.segments).reduce((t, seg) => t + seg.duration, 0);
    expect(listedSeconds).toBeGreaterThan(0);
    expect(durationSeconds).toBeGreaterThan(listedSeconds - 0.5);
    expect(durationSeconds).toBeLessThanOrEqual(liveSeconds + 1 + overlapSeconds);
  }

  it('records camera and voice; the live playlist grows from its start; a killed ffmpeg is followed by a further part, not the end', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true });
    feeds.push(feed);
    const rec = recorder('a');
    const started = Date.now();
    rec.update(sources(feed, ['mic', 'camera']));

    const { parts: early, segments: first } = await eventually(async () => {
      const now = await listed('a');
      return now.segments.length >= 2 && now;
    }, { what: 'two segments in the live playlist', ...MEDIA_WAIT });
    const playlist = joinPlaylists(early, true);
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect(playlist).toContain(first[0].uri);
    expect((await stat(join(dir, 'a', first[0].uri))).size).toBeGreaterThan(10_000);

    const later = await eventually(async () => {
      const { segments } = await listed('a');
      return segments.length > first.length && segments;
    }, { what: 'the live playlist to grow', ...MEDIA_WAIT });
    expect(later[0].uri).toBe(first[0].uri); // still readable from its start

    process.kill(rec.ffmpegPid!, 'SIGKILL');
    // Until a second part has recorded, in each rendition.
    await eventually(async () => {
      expect(rec.partsStarted).toBe(2);
      for (const rendition of [undefined, 'low', 'audio'] as const) {
        expect({ rendition, recorded: (await listed('a', rendition)).parts.map((p) => p.segments.length > 0) }).toEqual({ rendition, recorded: [true, true] });
      }
      return true;
    }, { what: 'a second part after the kill, with a segment in each rendition', ...MEDIA_WAIT });
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;
    expect(rec.partsStarted).toBe(2);

    const parts = await readParts(join(dir, 'a'));
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.segments.length > 0)).toBe(true);
    expect(joinPlaylists(parts, false)).toContain('#EXT-X-DISCONTINUITY');
    // Beside the 720p, the same class at 640×360 and the voice alone, in every part, for weak links.
    const streamsOf = (file: string) =>
      (JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', file]).toString()) as {
        streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
      }).streams
        .map((x) => [x.codec_name, x.codec_type, x.width, x.height].filter((v) => v !== undefined).join(','))
        .sort();
    for (const rendition of ['low', 'audio'] as const) {
      const renditionParts = await readParts(join(dir, 'a'), false, rendition);
      expect(renditionParts.map((p) => p.segments.length > 0)).toEqual([true, true]);
      const probed = streamsOf(join(dir, 'a', renditionParts[0].segments[0].uri));
      expect({ rendition, probed }).toEqual({ rendition, probed: rendition === 'low' ? ['aac,audio', 'h264,video,640,360'] : ['aac,audio'] });
    }

    const progress: number[] = [];
    const result = await finalizeRecording(join(dir, 'a'), TOOLS, (p) => progress.push(p));
    const info = probe(join(dir, 'a', 'recording.mp4'));
    expect(info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    // Both parts are in it (what the kill and the restart cost is measured in bench/recording-duration.mjs).
    await expectDuration('a', result.durationSeconds, liveSeconds);
    expect(progress.at(-1)).toBe(100);
    expect((await stat(join(dir, 'a', 'poster.jpg'))).size).toBeGreaterThan(1000);
  }, 60_000);

  it('keeps one continuous recording while the teacher toggles the camera and screen share, with chapter marks', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true, screen: true });
    feeds.push(feed);
    const rec = recorder('b');
    const started = Date.now();
    // Each change once the part before it has recorded something.
    rec.update(sources(feed, ['mic', 'camera']));
    await partRecorded('b', 1);
    rec.update(sources(feed, ['mic', 'camera', 'screen']));
    await partRecorded('b', 2);
    await feed.camera!.pause();
    rec.update(sources(feed, ['mic', 'camera', 'screen']));
    await partRecorded('b', 3);
    rec.update(sources(feed, ['mic']));
    await partRecorded('b', 4);
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;

    const result = await finalizeRecording(join(dir, 'b'), TOOLS, () => undefined);
    const info = probe(join(dir, 'b', 'recording.mp4'));
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(logged).toEqual([]);
    expect(rec.partsStarted).toBe(4);
    // Make before break: at each of the 3 changes the old part records on until the new one writes, so the two
    // overlap; processing cuts each part where the next begins, so the recording is no longer than the class.
    await expectDuration('b', result.durationSeconds, liveSeconds);
    // One mark, where the first part (before the screen share) ends in the joined recording.
    const [firstPart] = await readParts(join(dir, 'b'));
    const firstSeconds = firstPart.segments.reduce((t, s) => t + s.duration, 0);
    expect(result.chapters).toEqual([{ atSeconds: Math.round(firstSeconds * 10) / 10, kind: 'screen' }]);
    expect(result.chapters[0].atSeconds).toBeGreaterThan(0);
  }, 60_000);

  it('records a teacher who only speaks (a waveform for the picture)', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const rec = recorder('c');
    const started = Date.now();
    rec.update(sources(feed, ['mic']));
    await eventually(async () => (await listed('c')).segments.length >= 2, { what: 'two segments of voice', ...MEDIA_WAIT });
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;
    const result = await finalizeRecording(join(dir, 'c'), TOOLS, () => undefined);
    const info = probe(join(dir, 'c', 'recording.mp4'));
    expect(info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    await expectDuration('c', result.durationSeconds, liveSeconds);
    expect(await readFile(join(dir, 'c', 'part-001', 'part.json'), 'utf8')).toContain('"mic"');
  }, 40_000);

  it("stops recorder ffmpegs that a killed server left behind, and no others (not another node's in a shared folder)", async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const rec = recorder('e');
    rec.update(sources(feed, ['mic']));
    const pid = await eventually(() => rec.ffmpegPid, { what: "the recorder's ffmpeg to start", ...MEDIA_WAIT });
    expect(await reapOrphanRecorders(join(dir, 'elsewhere'), 'node-a')).toEqual([]);
    expect(await reapOrphanRecorders(dir, 'node-b')).toEqual([]);
    expect(await reapOrphanRecorders(dir, 'node-a')).toEqual([pid]);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually(() => !alive(), { what: `the reaped ffmpeg ${pid} to exit` });
  }, 20_000);

  it('stops cleanly when the disk fills up, and what it wrote stays playable', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const fatal: string[] = [];
    // The disk "fills up" mid-class: the free space it needs rises above what the disk has.
    let needed = 0;
    const rec = recorder('d', fatal, () => needed);
    rec.update(sources(feed, ['mic']));
    await eventually(async () => (await listed('d')).seconds > 3, { what: 'more than 3 s recorded', ...MEDIA_WAIT });
    needed = Number.MAX_SAFE_INTEGER;
    // The recorder checks the disk every 5 s.
    await eventually(
      () => {
        expect(fatal[0]).toMatch(/disk holding the recordings is full/);
        expect(rec.ffmpegPid).toBeUndefined();
        return true;
      },
      { what: 'the recorder to stop on the full disk', timeoutMs: 15_000 },
    );
    rec.update(sources(feed, ['mic'])); // no restart once stopped
    // Longer than a change takes to settle (300 ms) and a part to start: none does.
    await nothingHappensFor(1000);
    expect(rec.partsStarted).toBe(1);
    const result = await finalizeRecording(join(dir, 'd'), TOOLS, () => undefined);
    expect({ seconds: result.durationSeconds > 3 ? 'more than 3' : result.durationSeconds, logged }).toEqual({ seconds: 'more than 3', logged: [expect.stringMatching(/disk holding the recordings is full/)] });
  }, 30_000);

  it('waits for media: a producer that never delivers any is not recorded, and leaves no part behind', async () => {
    const silent = await silentProducer(room.originRouter, 'video');
    const rec = recorder('g');
    // The teacher's screen share never connected; her microphone and camera did.
    rec.update([{ producer: silent, source: 'screen' }]);
    // A first part starts at once when there is media to record (its stats are polled every 200 ms): none does.
    await nothingHappensFor(2000);
    expect(rec.ffmpegPid).toBeUndefined();
    expect(await readdir(join(dir, 'g')).catch(() => [])).toEqual([]);

    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true });
    feeds.push(feed);
    rec.update([{ producer: silent, source: 'screen' }, ...sources(feed, ['mic', 'camera'])]);
    const meta = await eventually(
      () => readFile(join(dir, 'g', 'part-001', 'part.json'), 'utf8').then((t) => JSON.parse(t) as { sources: string[] }, () => null),
      { what: 'the first part to start', ...MEDIA_WAIT },
    );
    expect(meta.sources.sort()).toEqual(['camera', 'mic']);
    silent.close();
  }, 30_000);

  it('backs off when a part dies without writing anything, and removes the empty parts', async () => {
    // An ffmpeg that fails at once (a broken install): each try waits twice as long as the one before.
    const broken = join(dir, 'broken-ffmpeg.sh');
    await writeFile(broken, '#!/bin/sh\necho "cannot open input" >&2\nexit 1\n');
    await chmod(broken, 0o755);
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const fatal: string[] = [];
    const rec = recorder('f', fatal, () => 0, broken);
    rec.update(sources(feed, ['mic']));
    // The fifth failure comes after 15 s of back-off plus five waits for RTP and ffmpeg starts: up to 80 s on a
    // loaded machine before giving up.
    await eventually(() => fatal.length > 0, { what: 'the recorder to give up', timeoutMs: 80_000, intervalMs: 250 });
    const delays = logged.flatMap((m) => /starting a further part in (\d+) ms/.exec(m)?.[1] ?? []).map(Number);
    expect({ delays, fatal }).toEqual({ delays: [1000, 2000, 4000, 8000], fatal: [expect.stringMatching(/failed 5 times in a minute/)] });
    // The last empty part is removed as its ffmpeg's exit is handled.
    await eventually(
      async () => {
        expect(await readdir(join(dir, 'f'))).toEqual([]);
        return true;
      },
      { what: 'the empty parts to be removed' },
    );
  }, 100_000);
});
