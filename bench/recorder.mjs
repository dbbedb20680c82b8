/* global document, window -- the page.evaluate callback runs in the browser */
// Recorder benchmark: what recording one live class costs, and how fast a replay starts.
// 1. A teacher made of ffmpeg sends a 720p VP8 test pattern (~1 Mbps, 30 fps) and Opus into a producer on a real
//    mediasoup worker; Tongke's Recorder consumes them over PlainTransports into its ffmpeg (H.264 + AAC HLS).
//    Printed per x264 preset: the recorder ffmpeg's CPU (cores = CPU seconds / wall seconds, from /proc) and its
//    real-time factor (media seconds written / wall seconds). The sender's own CPU is not counted.
// 2. The recording is finalized (MP4 + poster) and played in headless Chromium with hls.js from a local HTTP
//    server: time from play() to the first decoded frame, cold (new page each time), BENCH_PLAYS times.
//   npm run bench:recorder        (BENCH_PRESETS=veryfast,superfast BENCH_SECONDS=30 BENCH_PLAYS=5)
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { joinPlaylists } from '../dist/src/recordings/hls.js';
import { finalizeRecording, readParts } from '../dist/src/recordings/processor.js';
import { Recorder } from '../dist/src/recordings/recorder.js';
import { Room } from '../dist/src/live/sfu/room.js';
import { WorkerPool } from '../dist/src/live/sfu/worker-pool.js';

const PRESETS = (process.env.BENCH_PRESETS ?? 'veryfast,superfast').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PLAYS = Number(process.env.BENCH_PLAYS ?? 5);
const WARMUP = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // USER_HZ on Linux

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK; // utime + stime
}

async function teacher(router) {
  const mk = async (kind, ssrc) => {
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
    const codecs = kind === 'video'
      ? [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }]
      : [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }];
    const producer = await t.produce({ kind, rtpParameters: { codecs, encodings: [{ ssrc }] } });
    return { producer, url: `rtp://127.0.0.1:${t.tuple.localPort}?rtcpport=${t.rtcpTuple.localPort}&pkt_size=1200` };
  };
  const v = await mk('video', 4242);
  const a = await mk('audio', 4343);
  const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1000k', '-g', '60', '-ssrc', '4242', '-payload_type', '101', '-f', 'rtp', v.url,
    '-map', '1:a', '-c:a', 'libopus', '-b:a', '48k', '-ssrc', '4343', '-payload_type', '100', '-f', 'rtp', a.url], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { sources: [{ producer: a.producer, source: 'mic' }, { producer: v.producer, source: 'camera' }], stop: () => ffmpeg.kill('SIGKILL') };
}

const pool = new WorkerPool({ workers: 1, webRtcPort: 45000 + Math.floor(Math.random() * 10000), listenIp: '127.0.0.1', maxConsumersPerRouter: 200, logLevel: 'warn' });
const room = await Room.create(pool, 'bench-recorder', 200);
const root = mkdtempSync(join(tmpdir(), 'tongke-bench-rec-'));
const log = { log: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) };
const results = [];
let lastDir;

for (const preset of PRESETS) {
  const feed = await teacher(room.originRouter);
  const dir = join(root, preset);
  const rec = new Recorder({
    dir, router: () => room.originRouter, firstPart: 1, ffmpegPath: 'ffmpeg', minFreeBytes: () => 0, log, onPart: () => {}, onFatal: (r) => console.error(r),
    encode: { preset, segmentSeconds: 4, width: 1280, height: 720, fps: 25 },
  });
  rec.update(feed.sources);
  await sleep(WARMUP * 1000);
  const pid = rec.ffmpegPid;
  const mediaAt = async () => (await readParts(dir)).flatMap((p) => p.segments).reduce((t, s) => t + s.duration, 0);
  const cpu0 = cpuSeconds(pid);
  const media0 = await mediaAt();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const wall = (performance.now() - t0) / 1000;
  const cores = (cpuSeconds(pid) - cpu0) / wall;
  const rtf = ((await mediaAt()) - media0) / wall;
  await rec.stop();
  feed.stop();
  const size = (await readParts(dir)).flatMap((p) => p.segments).reduce((t, s) => t + statSync(join(dir, s.uri)).size, 0);
  results.push({ preset, cores, rtf, mbPerHour: ((size / 1e6) * 3600) / (WARMUP + wall) });
  console.log(`preset ${preset.padEnd(9)} recorder ffmpeg ${cores.toFixed(2)} cores, real-time factor ${rtf.toFixed(2)}, ≈${Math.round((size / 1e6) * 3600 / (WARMUP + wall))} MB per hour`);
  lastDir = dir;
}
room.close();
await pool.onModuleDestroy();

// ---- replay: play() → first frame ----
const fin = await finalizeRecording(lastDir, { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }, () => {});
const vod = joinPlaylists(await readParts(lastDir), false);
const hlsJs = readFileSync(new URL('../node_modules/hls.js/dist/hls.min.js', import.meta.url));
const TYPES = { '.ts': 'video/mp2t', '.m3u8': 'application/vnd.apple.mpegurl' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><video id="v" muted playsinline></video><script src="/hls.js"></script>');
  } else if (url.pathname === '/hls.js') res.end(hlsJs);
  else if (url.pathname === '/index.m3u8') res.setHeader('Content-Type', TYPES['.m3u8']).end(vod);
  else {
    const file = normalize(join(lastDir, url.pathname));
    if (!file.startsWith(lastDir)) return res.writeHead(404).end();
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).on('error', () => res.writeHead(404).end()).pipe(res);
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), 'tongke-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
});
const firstFrame = [];
for (let i = 0; i < PLAYS; i++) {
  const page = await browser.newPage();
  await page.goto(base);
  // Like the replay page: the player is set up when the page opens; the clock starts when play is pressed.
  const ms = await page.evaluate(async (seek) => {
    const video = document.getElementById('v');
    const hls = new window.Hls();
    hls.attachMedia(video);
    hls.loadSource('/index.m3u8');
    await new Promise((r) => hls.on(window.Hls.Events.MANIFEST_PARSED, r));
    if (seek) video.currentTime = seek;
    const t0 = performance.now();
    const frame = new Promise((r) => video.requestVideoFrameCallback(() => r(performance.now() - t0)));
    await video.play();
    return frame;
  }, i % 2 === 1 ? Math.floor(fin.durationSeconds / 2) : 0);
  firstFrame.push(ms);
  await page.close();
}
await browser.close();
server.close();
rmSync(profile, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });
const sorted = [...firstFrame].sort((a, b) => a - b);
console.log(`replay of a ${fin.durationSeconds} s recording: play() → first frame ${firstFrame.map((m) => Math.round(m)).join(', ')} ms in play order (median ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms; the first play is the browser's first; even plays start at 0, odd ones mid-recording)`);
console.log(JSON.stringify({ recorder: results, firstFrameMs: firstFrame }));
