import type { Socket } from 'socket.io-client';
import { LiveMessage, type LiveAck } from '../../src/contracts/live.js';
import { ClassRegistry } from '../../src/live/class-registry.js';
import { eventually } from '../support/eventually.js';
import { connectLive, listenLive } from '../support/live-socket.js';
import { freePorts } from '../support/ports.js';
import { TestRedis } from '../support/redis.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #13.1, a class bigger than two nodes: three nodes of one install, each taking one classroom of a class. The home
 * sends its second classroom to an edge, and its third to another node once that edge has its share.
 */
describe('a class spreading over three nodes', () => {
  let redis: TestRedis;
  const nodes: TestApp[] = [];
  const urls: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    const base = await freePorts(3);
    for (const i of [0, 1, 2]) {
      const env = { REDIS_URL: redis.url, NODE_ID: `node-${i}`, MEDIASOUP_WORKERS: '1', MEDIASOUP_LISTEN_IP: '127.0.0.1', MEDIASOUP_WEBRTC_PORT: String(base + i), LIVE_CLASSROOMS_PER_NODE: '1' };
      nodes.push(await TestApp.create(env, i === 0 ? {} : { sharing: nodes[0] }));
      urls.push(await listenLive(nodes[i]));
    }
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const t of nodes.slice().reverse()) await t.close();
    redis?.stop();
  });

  const send = <T>(socket: Socket, message: string, body: unknown = {}) => socket.timeout(10_000).emitWithAck(message, body) as Promise<LiveAck<T>>;

  it('sends each classroom past a node’s share to a node with room', async () => {
    const [home] = nodes;
    const school = await home.school();
    const teacher = await home.user('teacher', { schoolId: school });
    const course = await home.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + 5 * 60_000);
    const s = await home.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    const id = s.body.id as number;
    const devices: TestUser[] = [];
    for (const name of ['甲', '乙', '丙']) {
      const device = await home.user('classroom', { schoolId: school });
      const [{ id: classroomId }] = (await home.dataSource.query(
        `INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`,
        [school, `三年级${name}`, device.id],
      )) as { id: number }[];
      await home.http.post(`/api/sessions/${id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId }).expect(201);
      devices.push(device);
    }
    const teacherOnHome = await connectLive(urls[0], teacher.token, sockets);
    expect((await send(teacherOnHome, LiveMessage.StartClass, { sessionId: id })).ok).toBe(true);
    expect((await send(teacherOnHome, LiveMessage.Join, { sessionId: id })).ok).toBe(true);

    // Each classroom connects to the home first, and goes where it is sent.
    const landed: string[] = [];
    for (const device of devices) {
      const first = await connectLive(urls[0], device.token, sockets);
      const ack = await send(first, LiveMessage.Join, { sessionId: id });
      if (ack.ok) {
        landed.push('node-0');
        continue;
      }
      expect(ack.error).toMatchObject({ status: 503, code: 'CLASS_FULL_HERE' });
      const node = ack.error.node!;
      const there = await connectLive(urls[Number(node.split('-')[1])], device.token, sockets);
      expect((await send(there, LiveMessage.Join, { sessionId: id })).ok).toBe(true);
      landed.push(node);
      // The home knows it is there before the next one is placed.
      const live = (await home.app.get(ClassRegistry).find(id))!;
      await eventually(() => [...live.peers.values()].filter((p) => p.remoteNode === node && p.classroomId !== null).length === 1, { what: `the home to list the classroom on ${node}` });
    }
    expect(landed[0]).toBe('node-0');
    expect(new Set(landed)).toEqual(new Set(['node-0', 'node-1', 'node-2']));
  });
});
