// Fan-out benchmark: one teacher stream (VP8 ~1 Mbps at 30 fps + Opus 50 packets/s) sent as plain RTP into
// a producer, N classrooms each consuming video and audio through a PlainTransport to UDP receivers in a
// second process. The same load runs through bare mediasoup (one worker, one router, no Tongke code) and
// through Tongke's WorkerPool + Room (consumers spread over routers on every worker, pipeToRouter), in
// alternating runs, and prints loss, forwarding delay and worker CPU side by side.
//   npm run bench:fanout                      (BENCH_N=100,300,500 BENCH_REPS=3 BENCH_SECONDS=8 BENCH_SRTP=1 BENCH_PER_ROUTER=200)
import { cpus } from 'node:os';
import * as mediasoup from 'mediasoup';
import { MEDIA_CODECS } from '../dist/src/live/sfu/media-codecs.js';
import { Room } from '../dist/src/live/sfu/room.js';
import { WorkerPool } from '../dist/src/live/sfu/worker-pool.js';
import { consume, cpuSeconds, mediaPayloadTypes, produce, SRTP, startReceivers, startSender, webRtcPort } from './rtp.mjs';

const NS = (process.env.BENCH_N ?? '100,300,500').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WORKERS = Number(process.env.BENCH_WORKERS ?? cpus().length);
// Consumers per router before the room opens another on another worker: the product's default.
const PER_ROUTER = Number(process.env.BENCH_PER_ROUTER ?? 200);

const { receivers, ask } = startReceivers();

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
  const pool = new WorkerPool({ workers: WORKERS, webRtcPort: webRtcPort(WORKERS), listenIp: '127.0.0.1', maxConsumersPerRouter: PER_ROUTER, logLevel: 'none' });
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
