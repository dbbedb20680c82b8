// One Tongke node for bench/fanout-nodes.mjs, in a process of its own: a WorkerPool of one worker and a Room, as a
// node runs them, and a PipeLink (the code that joins a class's home to its edge nodes). Its parent drives it over
// IPC: the home takes the teacher's plain RTP and exports her producers down the pipe; an edge imports them; each
// serves its share of the classrooms through PlainTransports.
import { Logger } from '@nestjs/common';
import { PipeLink } from '../dist/src/live/sfu/pipe-link.js';
import { Room } from '../dist/src/live/sfu/room.js';
import { WorkerPool } from '../dist/src/live/sfu/worker-pool.js';
import { consume, cpuSeconds, mediaPayloadTypes, produce, webRtcPort } from './rtp.mjs';

Logger.overrideLogger(['error']);
const PER_ROUTER = Number(process.env.BENCH_PER_ROUTER ?? 200);
const PIPE = { ip: '127.0.0.1' };
let pool;
let room;
let link;
let producers = [];

const handlers = {
  async open() {
    pool = new WorkerPool({ workers: 1, webRtcPort: webRtcPort(1), listenIp: '127.0.0.1', maxConsumersPerRouter: PER_ROUTER, logLevel: 'none' });
    room = await Room.create(pool, 'bench', PER_ROUTER);
    link = await PipeLink.open(room.originRouter, PIPE);
    return { pipe: link.address };
  },
  /** The home: the teacher's producers, fed by the parent's sender. */
  async produce() {
    const p = await produce(room.originRouter);
    producers = [p.video, p.audio];
    for (const producer of producers) await room.addProducer(producer);
    return { videoPort: p.videoPort, audioPort: p.audioPort };
  },
  /** The home: its producers down the pipe to the edge at `pipe`. */
  async export({ pipe }) {
    await link.connect(pipe);
    const events = { closed() {}, paused() {} };
    return { piped: await Promise.all(producers.map((p) => link.export(p, events))) };
  },
  /** An edge: the home's producers, from the home's pipe end. */
  async import({ pipe, piped }) {
    await link.connect(pipe);
    producers = [];
    for (const p of piped) {
      const producer = await link.import(p);
      await room.addProducer(producer);
      producers.push(producer);
    }
    return {};
  },
  async consume({ ports }) {
    let pts = [];
    for (const port of ports) {
      const r = await room.routerForConsumer();
      const consumers = await consume(r.router, port, producers, (id) => room.producerIdOn(r, id));
      for (const c of consumers) room.trackConsumer(r, c);
      pts = mediaPayloadTypes(consumers);
    }
    return { pts };
  },
  async cpu() {
    return { seconds: await cpuSeconds((await pool.started()).map((s) => s.worker)) };
  },
  async close() {
    link.close();
    room.close();
    await pool.onModuleDestroy();
    return {};
  },
};

process.on('message', async ({ id, type, ...body }) => {
  try {
    process.send({ id, ok: true, ...(await handlers[type](body)) });
  } catch (e) {
    process.send({ id, ok: false, error: e.stack ?? String(e) });
  }
  if (type === 'close') process.disconnect();
});
