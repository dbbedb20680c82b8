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
import { silentProducer, teacherFeed, type TeacherFeed } from '../support/teacher-feed.js';
import { freePorts } from '../support/ports.js';

const TOOLS = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
const ENCODE = { preset: 'veryfast', segmentSeconds: 2, width: 1280, height: 720, fps: 25 };
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  it('records camera and voice; the live playlist grows from its start; a killed ffmpeg costs seconds, not the class', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true });
    feeds.push(feed);
    const rec = recorder('a');
    const started = Date.now();
    rec.update(sources(feed, ['mic', 'camera']));
    await settle(7000);

    const early = await readParts(join(dir, 'a'));
    const first = early.flatMap((p) => p.segments);
    expect(first.length).toBeGreaterThanOrEqual(2);
    const playlist = joinPlaylists(early, true);
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect(playlist).toContain(first[0].uri);
    expect((await stat(join(dir, 'a', first[0].uri))).size).toBeGreaterThan(10_000);

    await settle(3000);
    const later = (await readParts(join(dir, 'a'))).flatMap((p) => p.segments);
    expect(later.length).toBeGreaterThan(first.length);
    expect(later[0].uri).toBe(first[0].uri); // still readable from its start

    process.kill(rec.ffmpegPid!, 'SIGKILL');
    await settle(9000);
    expect(rec.partsStarted).toBe(2);
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;

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
    // The segment being written when ffmpeg died, and the restart, cost a few seconds at most.
    expect(result.durationSeconds).toBeGreaterThan(liveSeconds - 6);
    expect(result.durationSeconds).toBeLessThanOrEqual(liveSeconds + 1);
    expect(progress.at(-1)).toBe(100);
    expect((await stat(join(dir, 'a', 'poster.jpg'))).size).toBeGreaterThan(1000);
  }, 60_000);

  it('keeps one continuous recording while the teacher toggles the camera and screen share, with chapter marks', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true, screen: true });
    feeds.push(feed);
    const rec = recorder('b');
    const started = Date.now();
    rec.update(sources(feed, ['mic', 'camera']));
    await settle(6000);
    rec.update(sources(feed, ['mic', 'camera', 'screen']));
    await settle(6000);
    await feed.camera!.pause();
    rec.update(sources(feed, ['mic', 'camera', 'screen']));
    await settle(5000);
    rec.update(sources(feed, ['mic']));
    await settle(5000);
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;

    const result = await finalizeRecording(join(dir, 'b'), TOOLS, () => undefined);
    const info = probe(join(dir, 'b', 'recording.mp4'));
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(logged).toEqual([]);
    expect(rec.partsStarted).toBe(4);
    expect(Math.abs(result.durationSeconds - liveSeconds)).toBeLessThan(liveSeconds * 0.1 + 2);
    // One mark, where the first part (before the screen share) ends in the joined recording.
    const [firstPart] = await readParts(join(dir, 'b'));
    const firstSeconds = firstPart.segments.reduce((t, s) => t + s.duration, 0);
    expect(result.chapters).toEqual([{ atSeconds: Math.round(firstSeconds * 10) / 10, kind: 'screen' }]);
    expect(result.chapters[0].atSeconds).toBeGreaterThan(0);
  }, 60_000);

  it('records a teacher who only speaks (a waveform for the picture), within 10% of the live time', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const rec = recorder('c');
    const started = Date.now();
    rec.update(sources(feed, ['mic']));
    await settle(20_000);
    await rec.stop();
    const liveSeconds = (Date.now() - started) / 1000;
    const result = await finalizeRecording(join(dir, 'c'), TOOLS, () => undefined);
    const info = probe(join(dir, 'c', 'recording.mp4'));
    expect(info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Math.abs(result.durationSeconds - liveSeconds)).toBeLessThan(liveSeconds * 0.1);
    expect(await readFile(join(dir, 'c', 'part-001', 'part.json'), 'utf8')).toContain('"mic"');
  }, 40_000);

  it('stops recorder ffmpegs that a killed server left behind, and no others', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const rec = recorder('e');
    rec.update(sources(feed, ['mic']));
    await settle(2000);
    const pid = rec.ffmpegPid!;
    expect(await reapOrphanRecorders(join(dir, 'elsewhere'))).toEqual([]);
    const exited = new Promise<void>((r) => {
      const poll = setInterval(() => {
        try {
          process.kill(pid, 0);
        } catch {
          clearInterval(poll);
          r();
        }
      }, 100);
    });
    expect(await reapOrphanRecorders(dir)).toEqual([pid]);
    await exited;
  }, 20_000);

  it('stops cleanly when the disk fills up, and what it wrote stays playable', async () => {
    const feed = await teacherFeed(room.originRouter, { mic: true });
    feeds.push(feed);
    const fatal: string[] = [];
    // The disk "fills up" mid-class: the free space it needs rises above what the disk has.
    let needed = 0;
    const rec = recorder('d', fatal, () => needed);
    rec.update(sources(feed, ['mic']));
    await settle(6000);
    needed = Number.MAX_SAFE_INTEGER;
    await settle(6000);
    expect(fatal[0]).toMatch(/disk holding the recordings is full/);
    expect(rec.ffmpegPid).toBeUndefined();
    rec.update(sources(feed, ['mic'])); // no restart once stopped
    await settle(1000);
    expect(rec.partsStarted).toBe(1);
    const result = await finalizeRecording(join(dir, 'd'), TOOLS, () => undefined);
    expect({ seconds: result.durationSeconds > 3 ? 'more than 3' : result.durationSeconds, logged }).toEqual({ seconds: 'more than 3', logged: [expect.stringMatching(/disk holding the recordings is full/)] });
  }, 30_000);

  it('waits for media: a producer that never delivers any is not recorded, and leaves no part behind', async () => {
    const silent = await silentProducer(room.originRouter, 'video');
    const rec = recorder('g');
    // The teacher's screen share never connected; her microphone and camera did.
    rec.update([{ producer: silent, source: 'screen' }]);
    await settle(2000);
    expect(rec.ffmpegPid).toBeUndefined();
    expect(await readdir(join(dir, 'g')).catch(() => [])).toEqual([]);

    const feed = await teacherFeed(room.originRouter, { mic: true, camera: true });
    feeds.push(feed);
    rec.update([{ producer: silent, source: 'screen' }, ...sources(feed, ['mic', 'camera'])]);
    let meta: { sources: string[] } | undefined;
    for (let i = 0; i < 60 && !meta; i++) {
      await settle(250);
      meta = await readFile(join(dir, 'g', 'part-001', 'part.json'), 'utf8').then((t) => JSON.parse(t) as { sources: string[] }, () => undefined);
    }
    expect(meta?.sources.sort()).toEqual(['camera', 'mic']);
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
    for (let i = 0; i < 320 && fatal.length === 0; i++) await settle(250);
    const delays = logged.flatMap((m) => /starting a further part in (\d+) ms/.exec(m)?.[1] ?? []).map(Number);
    expect({ delays, fatal }).toEqual({ delays: [1000, 2000, 4000, 8000], fatal: [expect.stringMatching(/failed 5 times in a minute/)] });
    // The last empty part is removed as its ffmpeg's exit is handled.
    let left = await readdir(join(dir, 'f'));
    for (let i = 0; i < 20 && left.length; i++) {
      await settle(100);
      left = await readdir(join(dir, 'f'));
    }
    expect(left).toEqual([]);
  }, 100_000);
});
