import type { Socket } from 'socket.io-client';
import { connectLive, listenLive, outlastGracePeriod, TEST_GRACE_SECONDS } from '../support/live-socket.js';
import { LiveEvent, LiveMessage, type LiveAck, type SeatTakenEvent } from '../../src/contracts/live.js';
import { ClassRegistry } from '../../src/live/class-registry.js';
import { TestApp, type TestUser } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { untilWaitingForLock } from '../support/locks.js';
import { freePorts } from '../support/ports.js';

/**
 * #11.2 and #11.3: what concurrent messages of one socket, and several sockets of one account, must not break.
 * The audit got 30 send transports from 30 simultaneous requests, 12 producers past a limit of 3, 300 consumers
 * of one producer, 60 peers on one classroom token, and an admin left listed in a class after disconnecting.
 */
describe('live class under concurrent messages', () => {
  let t: TestApp;
  let url: string;
  let schoolId: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await TestApp.create({ MEDIASOUP_WORKERS: '1', MEDIASOUP_WEBRTC_PORT: String(await freePorts(1)), LIVE_RECONNECT_GRACE_SECONDS: String(TEST_GRACE_SECONDS) });
    url = await listenLive(t);
    schoolId = await t.school('峡城教学点', 'rural');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const connect = (token: string) => connectLive(url, token, sockets);
  const send = <T>(socket: Socket, message: string, body: unknown = {}) => socket.timeout(10_000).emitWithAck(message, body) as Promise<LiveAck<T>>;
  const live = async (sessionId: number) => (await t.app.get(ClassRegistry).find(sessionId))!;

  /** A live class with its teacher joined, and a booked classroom. */
  async function liveClass(): Promise<{ id: number; teacher: TestUser; teacherSocket: Socket; device: TestUser; classroomId: number }> {
    const teacher = await t.user('teacher');
    const device = await t.user('classroom', { schoolId });
    const [{ id: classroomId }] = await t.dataSource.query(
      `INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`,
      [schoolId, `三年级 ${device.id}`, device.id],
    );
    const course = await t.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + 5 * 60_000);
    const s = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    await t.http.post(`/api/sessions/${s.body.id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId }).expect(201);
    const teacherSocket = await connect(teacher.token);
    expect((await send(teacherSocket, LiveMessage.StartClass, { sessionId: s.body.id })).ok).toBe(true);
    expect((await send(teacherSocket, LiveMessage.Join, { sessionId: s.body.id })).ok).toBe(true);
    return { id: s.body.id, teacher, teacherSocket, device, classroomId };
  }

  const video = (ssrc: number) => ({
    kind: 'video',
    source: 'camera',
    rtpParameters: { mid: String(ssrc), codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc }] },
  });

  it('30 simultaneous send transports leave one; 12 simultaneous producers stop at 3', async () => {
    const { id, teacherSocket, teacher } = await liveClass();
    const transports = await Promise.all(Array.from({ length: 30 }, () => send<{ id: string }>(teacherSocket, LiveMessage.CreateTransport, { direction: 'send' })));
    expect(transports.every((a) => a.ok)).toBe(true);
    const peer = [...(await live(id)).peers.values()].find((p) => p.user.id === teacher.id)!;
    expect([...peer.transports.values()].filter((x) => x.direction === 'send' && !x.transport.closed)).toHaveLength(1);
    const transportId = [...peer.transports.keys()][0];
    const last = transports[transports.length - 1];
    expect(last.ok && last.data.id).toBe(transportId);

    const produced = await Promise.all(Array.from({ length: 12 }, (_, i) => send(teacherSocket, LiveMessage.Produce, { transportId, ...video(1000 + i) })));
    expect(produced.filter((a) => a.ok)).toHaveLength(3);
    expect(produced.filter((a) => !a.ok && a.error.status === 409)).toHaveLength(9);
    expect(peer.producers.size).toBe(3);
  });

  it('300 simultaneous requests to consume one producer give one consumer, the same to all', async () => {
    const { id, teacherSocket, device } = await liveClass();
    const sendT = await send<{ id: string }>(teacherSocket, LiveMessage.CreateTransport, { direction: 'send' });
    const made = await send<{ producerId: string }>(teacherSocket, LiveMessage.Produce, { transportId: sendT.ok ? sendT.data.id : '', ...video(4242) });
    expect(made.ok).toBe(true);
    const room = await connect(device.token);
    const joined = await send<{ routerRtpCapabilities: unknown }>(room, LiveMessage.Join, { sessionId: id });
    expect((await send(room, LiveMessage.CreateTransport, { direction: 'recv' })).ok).toBe(true);
    const rtpCapabilities = joined.ok ? joined.data.routerRtpCapabilities : {};
    const producerId = made.ok ? made.data.producerId : '';
    // Above the flood limit of a type (burst 60), the rest are refused as RATE_LIMITED; none makes a second consumer.
    const acks = await Promise.all(Array.from({ length: 300 }, () => send<{ id: string }>(room, LiveMessage.Consume, { producerId, rtpCapabilities })));
    const ids = new Set(acks.filter((a) => a.ok).map((a) => (a.ok ? a.data.id : '')));
    expect(ids.size).toBe(1);
    expect(acks.every((a) => a.ok || a.error.code === 'RATE_LIMITED')).toBe(true);
    const peer = [...(await live(id)).peers.values()].find((p) => p.user.id === device.id)!;
    expect(peer.consumers.size).toBe(1);
  });

  it('one seat per account: 20 sockets of one classroom account leave one peer, and the others are told why', async () => {
    const { id, device } = await liveClass();
    const rooms = await Promise.all(Array.from({ length: 20 }, () => connect(device.token)));
    const told: SeatTakenEvent[] = [];
    for (const r of rooms) r.on(LiveEvent.SeatTaken, (e: SeatTakenEvent) => told.push(e));
    // One after the other, so the last one to join is known.
    for (const r of rooms) expect((await send(r, LiveMessage.Join, { sessionId: id })).ok).toBe(true);
    const peers = [...(await live(id)).peers.values()].filter((p) => p.user.id === device.id);
    expect(peers.map((p) => p.id)).toEqual([rooms[rooms.length - 1].id]);
    await eventually(
      () => {
        expect({ told: told.length, connected: rooms.slice(0, -1).filter((r) => r.connected).length }).toEqual({ told: 19, connected: 0 });
        return true;
      },
      { what: 'the 19 replaced sockets to be told why and disconnected' },
    );
    expect(told[0]).toEqual({ sessionId: id, code: 'OPENED_ELSEWHERE', message: 'This class was opened on another device with the same account' });
    // What must NOT happen is checked once the reconnect grace of any of those departures is over: the last socket
    // is not told to go too, and the classroom, there throughout, has one join and no leave.
    await outlastGracePeriod();
    expect(told).toHaveLength(19);
    expect(rooms[rooms.length - 1].connected).toBe(true);
    const [att] = await t.dataSource.query('SELECT left_at FROM attendance WHERE session_id = $1', [id]);
    expect(att.left_at).toBeNull();
  });

  it('an admin socket that joins two classes at once is in one of them, and in none after it disconnects', async () => {
    const a = await liveClass();
    const b = await liveClass();
    const admin = await t.user('admin');
    const socket = await connect(admin.token);
    await Promise.all([send(socket, LiveMessage.Join, { sessionId: a.id }), send(socket, LiveMessage.Join, { sessionId: b.id })]);
    const listed = async () => [...(await live(a.id)).peers.values(), ...(await live(b.id)).peers.values()].filter((p) => p.user.id === admin.id);
    expect(await listed()).toHaveLength(1);
    socket.disconnect();
    await eventually(async () => (await listed()).length === 0, { what: 'the disconnected admin to be in neither class' });
  });

  it('a classroom joining while the teacher starts her camera learns of it, one way or the other', async () => {
    const { id, teacherSocket, device } = await liveClass();
    const room = await connect(device.token);
    const announced: string[] = [];
    room.on(LiveEvent.NewProducer, (p: { producerId: string }) => announced.push(p.producerId));
    // Hold the join between listing the class's media and answering (its chat query waits on this lock)…
    const url = (t.dataSource.options as { url: string }).url;
    const { Client } = await import('pg');
    const locker = new Client({ connectionString: url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE chat_message IN ACCESS EXCLUSIVE MODE');
    const joining = send<{ producers: { producerId: string }[] }>(room, LiveMessage.Join, { sessionId: id });
    await untilWaitingForLock(locker, t.dataSource, joining, 'the join');
    // …while the teacher starts her camera.
    const sendT = await send<{ id: string }>(teacherSocket, LiveMessage.CreateTransport, { direction: 'send' });
    const made = await send<{ producerId: string }>(teacherSocket, LiveMessage.Produce, { transportId: sendT.ok ? sendT.data.id : '', ...video(5151) });
    await locker.query('ROLLBACK');
    await locker.end();
    const joined = await joining;
    expect(joined.ok && made.ok).toBe(true);
    const producerId = made.ok ? made.data.producerId : '';
    const listed = joined.ok ? joined.data.producers.map((p) => p.producerId) : [];
    expect([...listed, ...announced]).toContain(producerId);
  });
});
