import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';
import { Room } from '../../src/live/sfu/room.js';
import { WorkerPool } from '../../src/live/sfu/worker-pool.js';
import { eventually } from '../support/eventually.js';
import { freePorts } from '../support/ports.js';

/**
 * RTP through real mediasoup workers: Debian's ffmpeg sends a VP8 test pattern into the origin router; one
 * consumer per router, with the room capped at one consumer per router, so the second consumer is on a
 * router of the other worker, reached through pipeToRouter. Then the second worker is killed mid-class.
 */
describe('SFU fan-out across workers', () => {
  const SSRC = 22222222;
  let pool: WorkerPool;
  let room: Room;
  let ffmpeg: ChildProcess;
  let producer: types.Producer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    pool = new WorkerPool({ workers: 2, webRtcPort: await freePorts(2), listenIp: '127.0.0.1', maxConsumersPerRouter: 1, logLevel: 'warn' });
    room = await Room.create(pool, 'fanout-test', 1);
    const transport = await room.originRouter.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
    producer = await transport.produce({
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] },
    });
    await room.addProducer(producer);
    const rtp = transport.tuple.localPort;
    const rtcp = transport.rtcpTuple!.localPort;
    ffmpeg = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-c:v', 'libvpx', '-deadline', 'realtime',
        '-cpu-used', '8', '-b:v', '300k', '-g', '15', '-ssrc', String(SSRC), '-payload_type', '101', '-f', 'rtp', `rtp://127.0.0.1:${rtp}?rtcpport=${rtcp}&pkt_size=1200`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  });

  afterAll(async () => {
    ffmpeg?.kill('SIGINT');
    for (const s of sockets) s.close();
    room?.close();
    await pool?.onModuleDestroy();
  });

  /** A consumer on the room's next router, sending to a UDP socket of ours; resolves its packet counter. */
  async function consumer(): Promise<{ router: types.Router; slotIndex: number; packets: () => number }> {
    const r = await room.routerForConsumer();
    const socket = createSocket('udp4');
    sockets.push(socket);
    let count = 0;
    socket.on('message', () => count++);
    await new Promise<void>((res) => socket.bind(0, '127.0.0.1', res));
    const transport = await r.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
    const c = await transport.consume({ producerId: room.producerIdOn(r, producer.id), rtpCapabilities: r.router.rtpCapabilities });
    room.trackConsumer(r, c);
    return { router: r.router, slotIndex: r.slotIndex, packets: () => count };
  }

  /** Until more than 30 packets have come: 15 fps at 300 kbps is dozens of packets a second, so it is receiving. */
  const receiving = (c: { packets: () => number }, who: string) =>
    eventually(
      () => {
        expect(c.packets()).toBeGreaterThan(30);
        return true;
      },
      { what: `${who} to receive the teacher's video` },
    );

  it('delivers the producer to consumers on routers of two different workers', async () => {
    const a = await consumer();
    const b = await consumer();
    expect(a.slotIndex).not.toBe(b.slotIndex);
    expect(room.routerList()).toHaveLength(2);
    await receiving(a, 'the consumer on the first worker');
    await receiving(b, 'the consumer on the second worker');
  });

  it('opens more routers than workers (two on one worker) and still delivers to each', async () => {
    const c = await consumer();
    expect(room.routerList()).toHaveLength(3);
    await receiving(c, "the third router's consumer");
  });

  it('replaces a killed worker, rebuilds the lost router, and a consumer receives again', async () => {
    const second = room.routerList().find((r) => r.slotIndex !== room.routerList()[0].slotIndex)!;
    const deadSlot = await pool.slot(second.slotIndex);
    const deadPid = deadSlot.worker.pid;
    const lost = new Promise<boolean>((res) => room.events.once('routersLost', (_lost, originLost) => res(originLost)));
    process.kill(deadPid, 'SIGKILL');
    expect(await lost).toBe(false);
    expect((await pool.slot(second.slotIndex)).worker.pid).not.toBe(deadPid);
    expect(room.routerList().every((r) => r.slotIndex !== second.slotIndex)).toBe(true);

    const again = await consumer();
    await receiving(again, 'the consumer after the rebuild');
  });

  it('spreads a join storm over routers before anyone consumes, and frees the seats of those who leave', async () => {
    // Six classrooms of three streams each join at once into a room of six consumers per router.
    const storm = await Room.create(pool, 'storm-test', 6);
    try {
      const routers = await Promise.all(Array.from({ length: 6 }, () => storm.routerForConsumer(3)));
      expect(storm.routerList()).toHaveLength(3);
      for (const r of storm.routerList()) expect(routers.filter((x) => x === r)).toHaveLength(2);
      storm.release(routers[0], 3);
      expect(await storm.routerForConsumer(3)).toBe(routers[0]);
      expect(storm.routerList()).toHaveLength(3);
    } finally {
      storm.close();
    }
  });

  it('prepares the routers for the seats it is told of before anyone joins, so that joins take seats without waiting', async () => {
    const prepared = await Room.create(pool, 'prepared-test', 6);
    try {
      await prepared.prepare(15);
      expect(prepared.routerList()).toHaveLength(3);
      const routers = await Promise.all(Array.from({ length: 5 }, () => prepared.routerForConsumer(3)));
      expect(prepared.routerList()).toHaveLength(3);
      expect(new Set(routers).size).toBe(3);
      await prepared.prepare(15);
      expect(prepared.routerList()).toHaveLength(3);
      await prepared.prepare(20);
      expect(prepared.routerList()).toHaveLength(4);
    } finally {
      prepared.close();
    }
  });
});

describe('SFU that cannot start', () => {
  it('says live classes are unavailable and how to fix it, leaves no worker running, and tries again next time', async () => {
    // Another program holds the WebRTC port the second worker wants; the first one's is free.
    const base = await freePorts(2);
    const blocker = createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(base + 1, '127.0.0.1', r));
    const sut = new WorkerPool({ workers: 2, webRtcPort: base, listenIp: '127.0.0.1', maxConsumersPerRouter: 1, logLevel: 'none' });
    try {
      await expect(sut.ready()).rejects.toThrow(/^Live classes are unavailable: the media server could not start \(worker 1 could not listen on port \d+.*npm run setup:mediasoup/);
      // The worker that did start was closed again: nothing holds its port, nothing keeps the process alive.
      await expect(sut.started()).resolves.toEqual([]);
      blocker.close();
      await expect(sut.ready()).resolves.toHaveLength(2);
    } finally {
      await sut.onModuleDestroy();
    }
  });
});
