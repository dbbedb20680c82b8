import type { Socket } from 'socket.io-client';
import { LiveEvent, LiveMessage, type LiveAck, type PeerInfo, type PeersChangedEvent } from '../../src/contracts/live.js';
import { connectLive, listenLive } from '../support/live-socket.js';
import { freePorts } from '../support/ports.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #13.2: a join storm of N classrooms is not N² messages. The teacher (who lists everyone) hears of each join and
 * leave at once; the classrooms hear of them together, once a second, in order.
 */
describe('peer changes in a class', () => {
  let t: TestApp;
  let url: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await TestApp.create({ MEDIASOUP_WORKERS: '1', MEDIASOUP_WEBRTC_PORT: String(await freePorts(1)) });
    url = await listenLive(t);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const send = <T>(socket: Socket, message: string, body: unknown = {}) => socket.timeout(10_000).emitWithAck(message, body) as Promise<LiveAck<T>>;

  it('tells the teacher of each classroom at once, and the classrooms of three joins and a leave in one message', async () => {
    const school = await t.school();
    const teacher = await t.user('teacher', { schoolId: school });
    const devices: TestUser[] = [];
    const rooms: number[] = [];
    for (let i = 0; i < 4; i++) {
      const device = await t.user('classroom', { schoolId: school });
      const [{ id }] = (await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`, [
        school,
        `三年级${i}班`,
        device.id,
      ])) as { id: number }[];
      devices.push(device);
      rooms.push(id);
    }
    const course = await t.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + 5 * 60_000);
    const s = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    for (const classroomId of rooms) await t.http.post(`/api/sessions/${s.body.id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId }).expect(201);
    const sessionId = s.body.id as number;

    const teacherSocket = await connectLive(url, teacher.token, sockets);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId });
    await send(teacherSocket, LiveMessage.Join, { sessionId });
    const first = await connectLive(url, devices[0].token, sockets);
    // Its own join comes back to it with the second's changes: counting starts after that.
    const ownJoinTold = new Promise((resolve) => first.once(LiveEvent.PeersChanged, resolve));
    await send(first, LiveMessage.Join, { sessionId });
    await ownJoinTold;

    const toTeacher: PeerInfo[] = [];
    teacherSocket.on(LiveEvent.PeerJoined, (p: PeerInfo) => toTeacher.push(p));
    const singles: PeerInfo[] = [];
    first.on(LiveEvent.PeerJoined, (p: PeerInfo) => singles.push(p));
    first.on(LiveEvent.PeerLeft, (p: PeerInfo) => singles.push(p));

    const others = [];
    for (const device of devices.slice(1)) {
      const socket = await connectLive(url, device.token, sockets);
      expect((await send(socket, LiveMessage.Join, { sessionId })).ok).toBe(true);
      others.push(socket);
    }
    await send(others[0], LiveMessage.Leave, { sessionId });
    expect(toTeacher.map((p) => p.classroomId)).toEqual(rooms.slice(1));

    const told = await new Promise<PeersChangedEvent>((resolve) => first.once(LiveEvent.PeersChanged, resolve));
    expect(told.changes.map((c) => [c.change, c.peer.classroomId])).toEqual([
      ['joined', rooms[1]],
      ['joined', rooms[2]],
      ['joined', rooms[3]],
      ['left', rooms[1]],
    ]);
    expect(singles).toEqual([]);
  });
});
