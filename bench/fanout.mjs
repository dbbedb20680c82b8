// Fan-out benchmark: one teacher stream (VP8 ~1 Mbps at 30 fps + Opus 50 packets/s) sent as plain RTP into
// a producer, N classrooms each consuming video and audio through a PlainTransport to UDP receivers in a
// second process. The same load runs through bare mediasoup (one worker, one router, no Tongke code) and
// through Tongke's WorkerPool + Room (consumers spread over routers on every worker, pipeToRouter), in
// alternating runs, and prints loss, forwarding delay and worker CPU side by side.
//   npm run bench:fanout                      (BENCH_N=100,300,500 BENCH_REPS=3 BENCH_SECONDS=8 BENCH_SRTP=1 BENCH_PER_ROUTER=200)
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import * as mediasoup from 'mediasoup';
import { MEDIA_CODECS } from '../dist/src/live/sfu/media-codecs.js';
import { Room } from '../dist/src/live/sfu/room.js';
import { WorkerPool } from '../dist/src/live/sfu/worker-pool.js';

const NS = (process.env.BENCH_N ?? '100,300,500').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SRTP = process.env.BENCH_SRTP === '1';
const WORKERS = Number(process.env.BENCH_WORKERS ?? cpus().length);
const VIDEO_SSRC = 1111;
const AUDIO_SSRC = 2222;
const MAGIC = 0x7ea11e55;
// Consumers per router before the room opens another on another worker: the product's default.
const PER_ROUTER = Number(process.env.BENCH_PER_ROUTER ?? 200);

/**
 * Three port ranges that can't collide (a port drawn at random from a range the others used collided at 700
 * classrooms and more): the receivers' N×2 sockets take the kernel's ephemeral range; the benchmark's
 * PlainTransports take PLAIN_PORTS; the workers' WebRTC ports sit between those and the ephemeral range.
 */
const EPHEMERAL_LOW = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
const PLAIN_PORTS = { min: 10000, max: EPHEMERAL_LOW - 1001 };
function webRtcPort() {
  return EPHEMERAL_LOW - 1000 + Math.floor(Math.random() * (1000 - WORKERS - 1));
}

const receivers = fork(new URL('./receiver.mjs', import.meta.url));
const ask = (msg, type) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m.type === type) {
        receivers.off('message', on);
        resolve(m);
      }
    };
    receivers.on('message', on);
    receivers.send(msg);
  });

/** A plain-RTP sender standing in for the teacher's browser: VP8 key frames of 4 packets, 30 fps, and Opus. */
function startSender(videoPort, audioPort) {
  const socket = createSocket('udp4');
  let vseq = 0;
  let aseq = 0;
  let ts = 0;
  const packet = (pt, seq, timestamp, ssrc, marker, body) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq & 0xffff, 2);
    h.writeUInt32BE(timestamp >>> 0, 4);
    h.writeUInt32BE(ssrc, 8);
    return Buffer.concat([h, body]);
  };
  const stamp = (body) => {
    body.writeUInt32BE(MAGIC, 12);
    body.writeDoubleBE(performance.timeOrigin + performance.now(), 16);
    return body;
  };
  const video = setInterval(() => {
    ts += 3000;
    for (let i = 0; i < 4; i++) {
      const body = Buffer.alloc(1050);
      // VP8 payload descriptor (S bit on the first packet), then a key-frame header with 1280x720.
      body[0] = i === 0 ? 0x10 : 0x00;
      if (i === 0) Buffer.from([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02]).copy(body, 1);
      socket.send(packet(101, vseq++, ts, VIDEO_SSRC, i === 3, stamp(body)), videoPort, '127.0.0.1');
    }
  }, 1000 / 30);
  let ats = 0;
  const audio = setInterval(() => {
    ats += 960;
    socket.send(packet(100, aseq++, ats, AUDIO_SSRC, false, stamp(Buffer.alloc(160, 0xf8))), audioPort, '127.0.0.1');
  }, 20);
  return () => {
    clearInterval(video);
    clearInterval(audio);
    socket.close();
  };
}

async function produce(router) {
  const plain = (rtcpMux) => router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1', portRange: PLAIN_PORTS }, rtcpMux, comedia: true });
  const vt = await plain(true);
  const at = await plain(true);
  const video = await vt.produce({
    kind: 'video',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] },
  });
  const audio = await at.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: AUDIO_SSRC }] },
  });
  return { video, audio, videoPort: vt.tuple.localPort, audioPort: at.tuple.localPort };
}

async function consume(router, port, producers, idOn = (id) => id) {
  const t = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1', portRange: PLAIN_PORTS },
    rtcpMux: true,
    comedia: false,
    enableSrtp: SRTP,
    srtpCryptoSuite: 'AEAD_AES_256_GCM',
  });
  await t.connect({
    ip: '127.0.0.1',
    port,
    ...(SRTP ? { srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: randomBytes(44).toString('base64') } } : {}),
  });
  const out = [];
  for (const p of producers) out.push(await t.consume({ producerId: idOn(p.id), rtpCapabilities: router.rtpCapabilities }));
  return out;
}

/** The media payload types a consumer sends (not RTX). */
function mediaPayloadTypes(consumers) {
  return consumers.map((c) => c.rtpParameters.codecs[0].payloadType);
}

async function cpuSeconds(workers) {
  let total = 0;
  for (const w of workers) {
    const u = await w.getResourceUsage();
    total += (u.ru_utime + u.ru_stime) / 1000;
  }
  return total;
}

async function measure(workers, ports, start, pts) {
  const stop = start();
  await new Promise((r) => setTimeout(r, 1500)); // warm-up: the first key frame reaches every consumer
  await ask({ type: 'reset', pts }, 'reset');
  const cpu0 = await cpuSeconds(workers);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu1 = await cpuSeconds(workers);
  const elapsed = (performance.now() - t0) / 1000;
  const report = await ask({ type: 'report' }, 'report');
  stop();
  const lossPct = report.expected ? ((report.expected - report.received) / report.expected) * 100 : 100;
  return { lossPct, p50: report.p50, p99: report.p99, cores: (cpu1 - cpu0) / elapsed, streams: report.streams, wanted: ports.length * 2 };
}

async function bare(n, ports) {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const p = await produce(router);
  let pts = [];
  for (const port of ports.slice(0, n)) pts = mediaPayloadTypes(await consume(router, port, [p.video, p.audio]));
  const r = await measure([worker], ports.slice(0, n), () => startSender(p.videoPort, p.audioPort), pts);
  worker.close();
  return r;
}

async function tongke(n, ports) {
  const pool = new WorkerPool({ workers: WORKERS, webRtcPort: webRtcPort(), listenIp: '127.0.0.1', maxConsumersPerRouter: PER_ROUTER, logLevel: 'none' });
  const room = await Room.create(pool, 'bench', PER_ROUTER);
  const p = await produce(room.originRouter);
  await room.addProducer(p.video);
  await room.addProducer(p.audio);
  let pts = [];
  for (const port of ports.slice(0, n)) {
    const r = await room.routerForConsumer();
    const consumers = await consume(r.router, port, [p.video, p.audio], (id) => room.producerIdOn(r, id));
    for (const c of consumers) room.trackConsumer(r, c);
    pts = mediaPayloadTypes(consumers);
  }
  const workers = (await pool.started()).map((s) => s.worker);
  const r = await measure(workers, ports.slice(0, n), () => startSender(p.videoPort, p.audioPort), pts);
  r.routers = room.routerList().length;
  room.close();
  await pool.onModuleDestroy();
  return r;
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const { ports } = await ask({ type: 'open', count: Math.max(...NS), srtp: SRTP }, 'ports');
console.log(`fan-out: VP8 ~1 Mbps + Opus, ${SECONDS} s per run, ${REPS} alternating runs per N, ${SRTP ? 'SRTP AEAD_AES_256_GCM' : 'plain RTP'}, ${WORKERS} Tongke workers, ${cpus().length} cores`);
console.log('N     mode    loss%   p50ms   p99ms   cores   cores/100   streams   routers');
for (const n of NS) {
  const sums = { bare: [], tongke: [] };
  for (let rep = 0; rep < REPS; rep++) {
    for (const mode of ['bare', 'tongke']) {
      const r = mode === 'bare' ? await bare(n, ports) : await tongke(n, ports);
      sums[mode].push(r);
      console.log(
        `${String(n).padEnd(5)} ${mode.padEnd(7)} ${fmt(r.lossPct).padStart(6)} ${fmt(r.p50).padStart(7)} ${fmt(r.p99).padStart(7)} ${fmt(r.cores).padStart(7)} ${fmt((r.cores / n) * 100).padStart(11)} ${`${r.streams}/${r.wanted}`.padStart(9)} ${String(r.routers ?? 1).padStart(9)}`,
      );
    }
  }
  const mean = (rs, k) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
  const delivered = (rs) => 100 - mean(rs, 'lossPct');
  console.log(
    `${String(n).padEnd(5)} mean    bare loss ${fmt(mean(sums.bare, 'lossPct'))}%  tongke loss ${fmt(mean(sums.tongke, 'lossPct'))}%  delivered ratio tongke/bare ${fmt(delivered(sums.tongke) / delivered(sums.bare), 3)}`,
  );
}
receivers.send({ type: 'close' }, () => process.exit(0));
