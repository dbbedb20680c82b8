import { createSocket, type Socket } from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../src/live/sfu/media-codecs.js';
import { PipeLink } from '../../src/live/sfu/pipe-link.js';
import { eventually } from '../support/eventually.js';
import { teacherFeed, type TeacherFeed } from '../support/teacher-feed.js';

/**
 * The pipe between two nodes, on two real mediasoup workers (as two nodes' workers are: separate processes that
 * share nothing but UDP): the teacher's camera, exported on one and imported on the other, reaches a consumer
 * there; its pausing and closing follow; a close that overtakes the import still closes it.
 */
describe('PipeLink: a producer piped from one node to another', () => {
  const workers: types.Worker[] = [];
  let home: types.Router;
  let edge: types.Router;
  let feed: TeacherFeed;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) workers.push(await mediasoup.createWorker({ logLevel: 'warn' }));
    home = await workers[0].createRouter({ mediaCodecs: MEDIA_CODECS });
    edge = await workers[1].createRouter({ mediaCodecs: MEDIA_CODECS });
    feed = await teacherFeed(home, { camera: true });
  });
  afterAll(() => {
    feed?.stop();
    for (const s of sockets) s.close();
    for (const w of workers) w.close();
  });

  /** Two ends connected to each other; what one end exports is told to the other as the node bus would. */
  async function pipe(): Promise<{ out: PipeLink; into: PipeLink; told: { closed: string[]; paused: boolean[] } }> {
    const listen = { ip: '127.0.0.1', portRange: { min: 40000, max: 40999 } };
    const out = await PipeLink.open(home, listen);
    const into = await PipeLink.open(edge, listen);
    await out.connect(into.address);
    await into.connect(out.address);
    return { out, into, told: { closed: [], paused: [] } };
  }

  /** A consumer on `router` sending to a UDP socket of ours; its packet count. */
  async function receiver(router: types.Router, producerId: string): Promise<() => number> {
    const socket = createSocket('udp4');
    sockets.push(socket);
    let count = 0;
    socket.on('message', () => count++);
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await t.connect({ ip: '127.0.0.1', port: socket.address().port });
    await t.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
    return () => count;
  }

  it("carries the teacher's camera to the other node, with the same id, and follows its pausing and closing", async () => {
    const { out, into, told } = await pipe();
    const camera = feed.camera!;
    const piped = await out.export(camera, { closed: (id) => told.closed.push(id), paused: (_id, p) => told.paused.push(p) });
    expect(piped).toMatchObject({ producerId: camera.id, kind: 'video', paused: false });
    expect(await out.export(camera, { closed: () => undefined, paused: () => undefined })).toBeNull();
    const copy = await into.import(piped!);
    expect(copy.id).toBe(camera.id);

    const packets = await receiver(edge, copy.id);
    await eventually(() => packets() > 30, { what: 'the consumer on the other node to receive the camera' });

    await camera.pause();
    await eventually(() => told.paused[told.paused.length - 1] === true, { what: 'the pause to be told' });
    await into.follow(camera.id, 'paused');
    expect(copy.paused).toBe(true);
    await camera.resume();
    await eventually(() => told.paused[told.paused.length - 1] === false, { what: 'the resume to be told' });
    await into.follow(camera.id, 'resumed');
    expect(copy.paused).toBe(false);

    out.close();
    into.close();
    expect(copy.closed).toBe(true);
  });

  it('closes an import whose close was told before the import had finished, and the copy when the export closes', async () => {
    const { out, into, told } = await pipe();
    const second = await teacherFeed(home, { mic: true });
    try {
      const mic = second.mic!;
      const piped = await out.export(mic, { closed: (id) => told.closed.push(id), paused: () => undefined });
      // The close overtakes the import (messages between nodes are handled as they arrive).
      await into.follow(mic.id, 'closed');
      expect((await into.import(piped!)).closed).toBe(true);
      expect(into.imported(mic.id)).toBeUndefined();

      // Exported again down a fresh pipe, then closed at its source: the far end is told.
      const again = await pipe();
      const p2 = await again.out.export(mic, { closed: (id) => again.told.closed.push(id), paused: () => undefined });
      const copy = await again.into.import(p2!);
      mic.close();
      await eventually(() => again.told.closed.includes(mic.id), { what: 'the close to be told' });
      await again.into.follow(mic.id, 'closed');
      expect(copy.closed).toBe(true);
      again.out.close();
      again.into.close();
    } finally {
      second.stop();
      out.close();
      into.close();
    }
  });
});
