// Recording duration: how close a finished recording comes to the time the class was live, per kind of class.
// The recorder tests (test/recordings/recorder.e2e-spec.ts) only check what holds on any machine (both streams, all
// listed segments in the MP4, not longer than the class); the ratios are measured here, printed, never asserted.
//
// A teacher made of ffmpeg (the tests' own, test/support/teacher-feed.ts: a 640×360 VP8 test pattern at 20 fps, a
// colour-bar "screen" at 10 fps, an Opus tone) sends into producers on a real mediasoup worker; Tongke's Recorder
// records it with the production encoding (x264 veryfast, 720p25, 4 s HLS segments), and finalizeRecording joins
// the parts into the MP4. Each scenario is live for BENCH_SECONDS, from the recorder's first update to its stop:
//   continuous  camera and microphone throughout;
//   voice       the microphone alone (the recorder draws a waveform for the picture);
//   killed      camera and microphone, the recorder's ffmpeg killed (SIGKILL) halfway: what a crash and the
//               restart into a further part cost;
//   toggles     camera and microphone, then the screen share added at 1/4, the camera paused at 2/4, the
//               microphone alone at 3/4: four parts, each change made before the old part is broken off.
// Printed per run: live seconds, the MP4's seconds (and of its audio and video streams), the seconds the parts'
// playlists list, the parts, and MP4 / live. The scenarios alternate within each round.
//
//   npm run build:server && npx swc test/support/teacher-feed.ts -d dist --config-file .swcrc --quiet \
//     && node bench/recording-duration.mjs     (BENCH_SECONDS=20 BENCH_REPS=2 BENCH_SCENARIOS=continuous,voice,killed,toggles
//                                               BENCH_SEGMENT_SECONDS=4)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalizeRecording, readParts } from '../dist/src/recordings/processor.js';
import { Recorder } from '../dist/src/recordings/recorder.js';
import { Room } from '../dist/src/live/sfu/room.js';
import { WorkerPool } from '../dist/src/live/sfu/worker-pool.js';
import { teacherFeed } from '../dist/test/support/teacher-feed.js';
import { freePort } from './support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const REPS = Number(process.env.BENCH_REPS ?? 2);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'continuous,voice,killed,toggles').split(',');
const SEGMENT_SECONDS = Number(process.env.BENCH_SEGMENT_SECONDS ?? 4);
const TOOLS = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What each scenario's teacher sends, and what it does while live (`at(fraction)` waits until that share of the live time). */
const scenarios = {
  continuous: { feed: { mic: true, camera: true }, run: async (rec, f, at) => (rec.update(sources(f, ['mic', 'camera'])), await at(1)) },
  voice: { feed: { mic: true }, run: async (rec, f, at) => (rec.update(sources(f, ['mic'])), await at(1)) },
  killed: {
    feed: { mic: true, camera: true },
    run: async (rec, f, at) => {
      rec.update(sources(f, ['mic', 'camera']));
      await at(0.5);
      if (!rec.ffmpegPid) throw new Error('killed: the recorder had no ffmpeg running halfway');
      process.kill(rec.ffmpegPid, 'SIGKILL');
      await at(1);
    },
  },
  toggles: {
    feed: { mic: true, camera: true, screen: true },
    run: async (rec, f, at) => {
      rec.update(sources(f, ['mic', 'camera']));
      await at(0.25);
      rec.update(sources(f, ['mic', 'camera', 'screen']));
      await at(0.5);
      await f.camera.pause();
      rec.update(sources(f, ['mic', 'camera', 'screen']));
      await at(0.75);
      rec.update(sources(f, ['mic']));
      await at(1);
    },
  },
};
for (const s of SCENARIOS) if (!scenarios[s]) throw new Error(`unknown scenario ${s}; known: ${Object.keys(scenarios).join(', ')}`);

function sources(feed, which) {
  return which.flatMap((source) => (feed[source] ? [{ producer: feed[source], source }] : []));
}

function streamSeconds(file) {
  const out = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,duration', '-of', 'json', file]).toString());
  return Object.fromEntries(out.streams.map((s) => [s.codec_type, Number(s.duration)]));
}

const pool = new WorkerPool({ workers: 1, webRtcPort: await freePort(), listenIp: '127.0.0.1', maxConsumersPerRouter: 200, logLevel: 'warn' });
const room = await Room.create(pool, 'bench-recording-duration', 200);
const root = mkdtempSync(join(tmpdir(), 'tongke-bench-duration-'));
const log = { log: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) };
const results = [];

const row = (cells) => cells.map(([text, width]) => (width < 0 ? String(text).padEnd(-width) : String(text).padStart(width))).join('  ');
console.log(`${SECONDS} s live per run, ${SEGMENT_SECONDS} s segments, ${REPS} round(s)`);
console.log(row([['scenario', -11], ['round', 5], ['live s', 6], ['MP4 s (audio / video)', -22], ['listed s', 8], ['parts', 5], ['MP4/live', 8], ['MP4−live s', 10]]));
for (let round = 1; round <= REPS; round++) {
  for (const name of SCENARIOS) {
    const scenario = scenarios[name];
    const feed = await teacherFeed(room.originRouter, scenario.feed);
    const dir = join(root, `${name}-${round}`);
    const rec = new Recorder({
      dir, router: () => room.originRouter, firstPart: 1, ffmpegPath: 'ffmpeg', minFreeBytes: () => 0, log, onPart: () => {}, onFatal: (r) => console.error(r),
      encode: { preset: 'veryfast', segmentSeconds: SEGMENT_SECONDS, width: 1280, height: 720, fps: 25 },
    });
    const started = performance.now();
    await scenario.run(rec, feed, (share) => sleep(Math.max(0, started + share * SECONDS * 1000 - performance.now())));
    const live = (performance.now() - started) / 1000;
    await rec.stop();
    feed.stop();
    const parts = await readParts(dir, true);
    const listed = parts.flatMap((p) => p.segments).reduce((t, s) => t + s.duration, 0);
    const fin = await finalizeRecording(dir, TOOLS, () => {});
    const streams = streamSeconds(join(dir, 'recording.mp4'));
    const r = { scenario: name, round, live, mp4: fin.durationSeconds, audio: streams.audio, video: streams.video, listed, parts: parts.length, ratio: fin.durationSeconds / live };
    results.push(r);
    console.log(row([[name, -11], [round, 5], [live.toFixed(1), 6], [`${r.mp4.toFixed(1)} (${r.audio.toFixed(1)} / ${r.video.toFixed(1)})`, -22], [listed.toFixed(1), 8], [r.parts, 5], [r.ratio.toFixed(3), 8], [(r.mp4 - live).toFixed(1), 10]]));
    rmSync(dir, { recursive: true, force: true });
  }
}
room.close();
await pool.onModuleDestroy();
rmSync(root, { recursive: true, force: true });

for (const name of SCENARIOS) {
  const ratios = results.filter((r) => r.scenario === name).map((r) => r.ratio);
  console.log(`${name}: MP4/live ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)} over ${ratios.length} run(s)`);
}
console.log(JSON.stringify({ seconds: SECONDS, segmentSeconds: SEGMENT_SECONDS, runs: results }));
