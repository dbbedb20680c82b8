import type { Socket } from 'socket.io-client';
import { LiveEvent, LiveMessage, type JoinResult, type LiveAck, type SessionLiveEvent } from '../../src/contracts/live.js';
import { ClassRegistry } from '../../src/live/class-registry.js';
import { NodeBus } from '../../src/live/node-bus.js';
import { connectLive, listenLive } from '../support/live-socket.js';
import { freePorts } from '../support/ports.js';
import { TestRedis } from '../support/redis.js';
import { eventually } from '../support/eventually.js';
import { ClassHomes, HOME_HOLD_MS } from '../../src/live/class-homes.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #13.1: two nodes of one install (one database, one Redis, each its own media worker) are one system for the
 * live socket's pushes: what one node announces reaches the sockets of the other.
 */
describe('two nodes on one database and one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  let redis: TestRedis;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    const REDIS_URL = redis.url;
    const [portA, portB] = [await freePorts(1), await freePorts(1)];
    // Each node serves one classroom of a class; the next goes to the other node.
    const env = { REDIS_URL, MEDIASOUP_WORKERS: '1', MEDIASOUP_LISTEN_IP: '127.0.0.1', LIVE_CLASSROOMS_PER_NODE: '1' };
    a = await TestApp.create({ ...env, NODE_ID: 'node-a', MEDIASOUP_WEBRTC_PORT: String(portA) });
    b = await TestApp.create({ ...env, NODE_ID: 'node-b', MEDIASOUP_WEBRTC_PORT: String(portB) }, { sharing: a });
    urlA = await listenLive(a);
    urlB = await listenLive(b);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b?.close();
    await a?.close();
    redis?.stop();
  });

  const send = <T>(socket: Socket, message: string, body: unknown = {}) => socket.timeout(10_000).emitWithAck(message, body) as Promise<LiveAck<T>>;

  async function bookedSession(): Promise<{ id: number; teacher: TestUser; device: TestUser; classroomId: number; other: { device: TestUser; classroomId: number } }> {
    const school = await a.school();
    const teacher = await a.user('teacher', { schoolId: school });
    const classroom = async (name: string) => {
      const device = await a.user('classroom', { schoolId: school });
      const [{ id: classroomId }] = (await a.dataSource.query(
        `INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`,
        [school, name, device.id],
      )) as { id: number }[];
      return { device, classroomId };
    };
    const { device, classroomId } = await classroom('三年级');
    const other = await classroom('三年级乙');
    const course = await a.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + 5 * 60_000);
    const s = await a.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    for (const c of [classroomId, other.classroomId]) {
      await a.http.post(`/api/sessions/${s.body.id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId: c }).expect(201);
    }
    return { id: s.body.id as number, teacher, device, classroomId, other };
  }

  it("a class started on node A is announced to a classroom's today page connected to node B", async () => {
    const { id, teacher, device } = await bookedSession();
    const todayOnB = await connectLive(urlB, device.token, sockets);
    // The classroom's channel is joined in the handshake; the adapter tells node A's Redis subscribers of it at once.
    const announced = new Promise<SessionLiveEvent>((resolve) => todayOnB.once(LiveEvent.SessionLive, resolve));
    const teacherOnA = await connectLive(urlA, teacher.token, sockets);
    expect((await send(teacherOnA, LiveMessage.StartClass, { sessionId: id })).ok).toBe(true);
    expect(await announced).toMatchObject({ sessionId: id });
  });

  it("logging out on node A closes the account's sockets on node B", async () => {
    const { device } = await bookedSession();
    const onB = await connectLive(urlB, device.token, sockets);
    const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    await a.http.post('/api/auth/logout').auth(device.token, { type: 'bearer' }).expect((r) => expect([200, 201, 204]).toContain(r.status));
    expect(await closed).toBe('io server disconnect');
  });

  const video = (ssrc: number) => ({
    kind: 'video',
    source: 'camera',
    rtpParameters: { mid: String(ssrc), codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc }] },
  });
  const audio = (ssrc: number) => ({
    kind: 'audio',
    source: 'mic',
    rtpParameters: { mid: String(ssrc), codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] },
  });
  const data = <T>(ack: LiveAck<T>): T => {
    if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack.error)}`);
    return ack.data;
  };

  it("sends a classroom beyond the home's share to the other node, which serves it through a pipe from the home", async () => {
    const { id, teacher, device, classroomId, other } = await bookedSession();
    const teacherOnA = await connectLive(urlA, teacher.token, sockets);
    data(await send(teacherOnA, LiveMessage.StartClass, { sessionId: id }));
    // Two classrooms booked, one place per node: its edge opened on B as it started, before anyone was sent there.
    expect((await b.app.get(ClassRegistry).find(id))?.homeNode).toBe('node-a');
    data(await send(teacherOnA, LiveMessage.Join, { sessionId: id }));
    const { id: sendId } = data(await send<{ id: string }>(teacherOnA, LiveMessage.CreateTransport, { direction: 'send' }));
    const { producerId } = data(await send<{ producerId: string }>(teacherOnA, LiveMessage.Produce, { transportId: sendId, ...video(7001) }));

    // The home (A) takes one classroom; the next is told to go to B.
    const firstOnA = await connectLive(urlA, other.device.token, sockets);
    data(await send(firstOnA, LiveMessage.Join, { sessionId: id }));
    const roomOnA = await connectLive(urlA, device.token, sockets);
    expect(await send(roomOnA, LiveMessage.Join, { sessionId: id })).toMatchObject({ ok: false, error: { status: 503, code: 'CLASS_FULL_HERE', node: 'node-b' } });

    // On B, an edge of the class: the teacher and her camera are there, piped from A.
    const listed = new Promise<{ classroomId: number | null }>((resolve) => teacherOnA.on(LiveEvent.PeerJoined, (p: { classroomId: number | null }) => p.classroomId === classroomId && resolve(p)));
    const roomOnB = await connectLive(urlB, device.token, sockets);
    const joined = data(await send<JoinResult>(roomOnB, LiveMessage.Join, { sessionId: id }));
    expect((await b.app.get(ClassRegistry).find(id))?.homeNode).toBe('node-a');
    expect(joined.producers.map((p) => p.producerId)).toEqual([producerId]);
    expect(joined.peers).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'teacher' })]));
    data(await send(roomOnB, LiveMessage.CreateTransport, { direction: 'recv' }));
    const consumer = data(await send<{ producerId: string; kind: string }>(roomOnB, LiveMessage.Consume, { producerId, rtpCapabilities: joined.routerRtpCapabilities }));
    expect(consumer).toMatchObject({ producerId, kind: 'video' });
    // The teacher, on A, is told of the classroom on B, and the home lists it.
    await listed;
    expect([...(await a.app.get(ClassRegistry).find(id))!.peers.values()].some((p) => p.classroomId === classroomId && p.remoteNode === 'node-b')).toBe(true);

    // Its hand, raised on B, reaches the teacher; she gives it the floor; it talks back from B, and she hears it on A.
    const hands = new Promise<{ classroomIds: number[] }>((resolve) => teacherOnA.on(LiveEvent.HandsChanged, (h: { classroomIds: number[] }) => h.classroomIds.includes(classroomId) && resolve(h)));
    data(await send(roomOnB, LiveMessage.RaiseHand));
    await hands;
    const announced = new Promise<{ producerId: string }>((resolve) => teacherOnA.on(LiveEvent.NewProducer, (p: { producerId: string; peer: { classroomId: number | null } }) => p.peer.classroomId === classroomId && resolve(p)));
    data(await send(teacherOnA, LiveMessage.GrantFloor, { classroomId }));
    const { id: roomSendId } = data(await send<{ id: string }>(roomOnB, LiveMessage.CreateTransport, { direction: 'send' }));
    const talk = data(await send<{ producerId: string }>(roomOnB, LiveMessage.Produce, { transportId: roomSendId, ...audio(7002) }));
    expect((await announced).producerId).toBe(talk.producerId);
    data(await send(teacherOnA, LiveMessage.CreateTransport, { direction: 'recv' }));
    const caps = a.app.get(ClassRegistry);
    const heard = data(await send<{ producerId: string }>(teacherOnA, LiveMessage.Consume, { producerId: talk.producerId, rtpCapabilities: (await caps.find(id))!.room.rtpCapabilities }));
    expect(heard.producerId).toBe(talk.producerId);
    // The teacher takes the floor back: the classroom's media closes on B too.
    data(await send(teacherOnA, LiveMessage.RevokeFloor, { classroomId }));
    const edge = (await b.app.get(ClassRegistry).find(id))!;
    await eventually(() => ![...edge.peers.values()].some((p) => p.producers.has(talk.producerId)), { what: "the classroom's talk-back to close on B" });
    // B lists everyone in the class for its joiners, the classroom on A too (the home's changes, once a second).
    await eventually(() => edge.roster('').some((p) => p.classroomId === other.classroomId), { what: "B's list to have the classroom on A" });
    const later = data(await send<JoinResult>(await connectLive(urlB, device.token, sockets), LiveMessage.Join, { sessionId: id }));
    expect(later.peers.map((p) => p.classroomId)).toEqual(expect.arrayContaining([other.classroomId]));

    // The teacher's camera closes: its piped copy on B follows. The class ends: B's edge closes.
    data(await send(teacherOnA, LiveMessage.CloseProducer, { producerId }));
    await eventually(() => edge.producerInfos().length === 0, { what: 'the piped camera to close on B' });
    data(await send(teacherOnA, LiveMessage.EndClass, { sessionId: id }));
    await eventually(async () => (await b.app.get(ClassRegistry).find(id)) === undefined, { what: "B's edge of the class to close" });
  });

  it('moves a class whose home node stopped renewing its hold (died) to the next node asked, within the hold time', async () => {
    const { id, teacher } = await bookedSession();
    const teacherOnA = await connectLive(urlA, teacher.token, sockets);
    expect((await send(teacherOnA, LiveMessage.StartClass, { sessionId: id })).ok).toBe(true);
    expect((await send(teacherOnA, LiveMessage.Join, { sessionId: id })).ok).toBe(true);
    // Node A "dies" as far as the others can tell: its renewals stop, and its hold is not given back.
    a.app.get(ClassHomes).onModuleDestroy();
    const died = Date.now();
    const teacherOnB = await connectLive(urlB, teacher.token, sockets);
    const joined = await eventually(async () => (await send(teacherOnB, LiveMessage.Join, { sessionId: id })).ok, {
      what: 'node B to take the class over',
      timeoutMs: HOME_HOLD_MS + 4000,
      intervalMs: 250,
    });
    expect(joined).toBe(true);
    expect(Date.now() - died).toBeLessThan(HOME_HOLD_MS + 4000);
    // Node A still has its old copy open (it never learnt it lost the class), but a class it hasn't open is refused.
    const other = await bookedSession();
    const teacherOnB2 = await connectLive(urlB, other.teacher.token, sockets);
    expect((await send(teacherOnB2, LiveMessage.StartClass, { sessionId: other.id })).ok).toBe(true);
    // A class it hasn't open is served by A as an edge of its home, B; a teacher is sent to its home.
    const roomOnA = await connectLive(urlA, other.device.token, sockets);
    expect((await send(roomOnA, LiveMessage.Join, { sessionId: other.id })).ok).toBe(true);
    expect((await a.app.get(ClassRegistry).find(other.id))?.homeNode).toBe('node-b');
    const teacherOnA2 = await connectLive(urlA, other.teacher.token, sockets);
    expect(await send(teacherOnA2, LiveMessage.Join, { sessionId: other.id })).toMatchObject({ ok: false, error: { code: 'CLASS_ON_OTHER_NODE' } });
  });

  it('keeps one seat per account across nodes: the classroom joining at home takes its seat from its connection on the edge', async () => {
    const { id, teacher, device, classroomId } = await bookedSession();
    const teacherOnA = await connectLive(urlA, teacher.token, sockets);
    data(await send(teacherOnA, LiveMessage.StartClass, { sessionId: id }));
    data(await send(teacherOnA, LiveMessage.Join, { sessionId: id }));
    const onB = await connectLive(urlB, device.token, sockets);
    data(await send(onB, LiveMessage.Join, { sessionId: id }));
    const home = (await a.app.get(ClassRegistry).find(id))!;
    await eventually(() => home.peersOfClassroom(classroomId).length === 1, { what: 'the home to list the classroom on B' });

    const taken = new Promise<{ code: string }>((resolve) => onB.once(LiveEvent.SeatTaken, resolve));
    const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    const onA = await connectLive(urlA, device.token, sockets);
    data(await send(onA, LiveMessage.Join, { sessionId: id }));
    expect(await taken).toMatchObject({ code: 'OPENED_ELSEWHERE' });
    expect(await closed).toBe('io server disconnect');
    await eventually(() => home.peersOfClassroom(classroomId).map((p) => p.id).join() === onA.id, { what: 'one seat left, the one at home' });
    const edge = (await b.app.get(ClassRegistry).find(id))!;
    await eventually(() => edge.peersOfClassroom(classroomId).length === 0, { what: 'the edge to let its seat go' });
  });

  it("keeps a class's chat on each of its nodes, and closes an edge whose home died: its classrooms are told to join again", async () => {
    const { id, teacher, device, other } = await bookedSession();
    const teacherOnA = await connectLive(urlA, teacher.token, sockets);
    data(await send(teacherOnA, LiveMessage.StartClass, { sessionId: id }));
    data(await send(teacherOnA, LiveMessage.Join, { sessionId: id }));
    const roomOnA = await connectLive(urlA, other.device.token, sockets);
    data(await send(roomOnA, LiveMessage.Join, { sessionId: id }));
    const roomOnB = await connectLive(urlB, device.token, sockets);
    data(await send(roomOnB, LiveMessage.Join, { sessionId: id }));
    const home = (await a.app.get(ClassRegistry).find(id))!;
    const edge = (await b.app.get(ClassRegistry).find(id))!;

    // Posted on the edge, it is in the home's chat (what a joiner there is shown); posted at home, in the edge's.
    const fromB = data(await send<{ id: number }>(roomOnB, LiveMessage.SendChat, { kind: 'question', text: '老师，第二段怎么唱？' }));
    const fromA = data(await send<{ id: number }>(teacherOnA, LiveMessage.SendChat, { kind: 'chat', text: '我们再唱一遍' }));
    await eventually(() => home.recentChat().some((m) => m.id === fromB.id) && edge.recentChat().some((m) => m.id === fromA.id), {
      what: 'each message in the chat of both nodes',
    });

    // The home dies as far as the others can tell: it stops saying it lives and stops renewing its hold.
    const rebuild = new Promise<void>((resolve) => roomOnB.once(LiveEvent.Rebuild, () => resolve()));
    a.app.get(NodeBus).silence();
    a.app.get(ClassHomes).onModuleDestroy();
    await rebuild;
    expect(await b.app.get(ClassRegistry).find(id)).toBeUndefined();
    // No teacher has opened it again: the classroom waits for her instead of taking the class to its node.
    expect(await send(roomOnB, LiveMessage.Join, { sessionId: id })).toMatchObject({ ok: false, error: { status: 503, code: 'CLASS_ON_OTHER_NODE' } });
  }, 20_000);

  it('creates the first admin once when two nodes start with ADMIN_EMAIL at the same moment', async () => {
    const { UsersService } = await import('../../src/schools/users.service.js');
    await a.dataSource.query(`DELETE FROM app_user WHERE role = 'admin'`);
    const results = await Promise.all([
      a.app.get(UsersService).ensureAdmin('root@two-nodes.test', 'first-admin-pass-1'),
      b.app.get(UsersService).ensureAdmin('root@two-nodes.test', 'first-admin-pass-1'),
    ]);
    expect(results.sort()).toEqual(['created', 'exists']);
    const [{ n }] = (await a.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin'`)) as { n: number }[];
    expect(n).toBe(1);
  });

  it("reports each node's link to Redis in /health", async () => {
    const res = await b.http.get('/health').expect(200);
    expect(res.body.info.redis).toMatchObject({ status: 'up', answer: 'PONG' });
  });

  it('answers 503 on /health once Redis is gone, so the proxy sends the node no more live classes', async () => {
    redis.stop();
    const res = await eventually(
      async () => {
        const r = await b.http.get('/health');
        return r.status === 503 && r;
      },
      { what: '/health to report Redis down', timeoutMs: 15_000 },
    );
    expect(res.body.error.redis).toMatchObject({ status: 'down' });
  });
});
