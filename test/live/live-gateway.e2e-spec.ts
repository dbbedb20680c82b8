import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, LiveEvent, LiveMessage, type LiveAck, type PeerInfo, type PeersChangedEvent, type SessionLiveEvent } from '../../src/contracts/live.js';
import { TestApp, type TestUser } from '../support/test-app.js';
import { ClassRegistry } from '../../src/live/class-registry.js';
import { WorkerPool } from '../../src/live/sfu/worker-pool.js';
import { eventually } from '../support/eventually.js';
import { freePorts } from '../support/ports.js';
import { outlastGracePeriod, TEST_GRACE_SECONDS } from '../support/live-socket.js';

/** Signaling through the real gateway with socket.io-client: who may start, join and end a class, and when. */
describe('live class signaling', () => {
  let t: TestApp;
  let url: string;
  let teacher: TestUser; // the teacher of the latest session() (see below)
  let otherTeacher: TestUser;
  let admin: TestUser;
  let student: TestUser;
  let bookedDevice: TestUser; // the booked classroom of the latest session()
  let otherDevice: TestUser;
  let bookedRoom: number;
  let schoolId: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await TestApp.create({ MEDIASOUP_WORKERS: '1', MEDIASOUP_WEBRTC_PORT: String(await freePorts(1)), LIVE_START_WINDOW_MINUTES: '15', LIVE_RECONNECT_GRACE_SECONDS: String(TEST_GRACE_SECONDS) });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}${LIVE_NAMESPACE}`;
    schoolId = await t.school('上湾教学点', 'rural');
    const school = schoolId;
    otherTeacher = await t.user('teacher');
    admin = await t.user('admin');
    student = await t.user('student', { schoolId: school });
    otherDevice = await t.user('classroom', { schoolId: school });
    await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, '四年级', 4, $2)`, [school, otherDevice.id]);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  function connect(user?: TestUser): Promise<Socket> {
    const socket = io(url, { auth: user ? { token: user.token } : {}, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  const send = <T>(socket: Socket, message: string, body: unknown) => socket.timeout(5000).emitWithAck(message, body) as Promise<LiveAck<T>>;

  /**
   * A session starting `minutesFromNow`, 40 minutes long, with the booked classroom on it. Each test's
   * session gets a teacher of its own (`teacher` is re-pointed), since one teacher's classes can't overlap.
   */
  async function session(minutesFromNow: number): Promise<number> {
    teacher = await t.user('teacher');
    // …and a booked classroom of its own, since one classroom's classes can't overlap either.
    bookedDevice = await t.user('classroom', { schoolId });
    [{ id: bookedRoom }] = await t.dataSource.query(
      `INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`,
      [schoolId, `三年级 ${bookedDevice.id}`, bookedDevice.id],
    );
    const course = await t.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + minutesFromNow * 60_000);
    const res = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    await t.http.post(`/api/sessions/${res.body.id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId: bookedRoom }).expect(201);
    return res.body.id;
  }

  /** A session (see `session`) started by its teacher, with her and its booked classroom joined. */
  async function classInSession(minutesFromNow: number): Promise<{ id: number; teacherSocket: Socket; room: Socket }> {
    const id = await session(minutesFromNow);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    await send(teacherSocket, LiveMessage.Join, { sessionId: id });
    const room = await connect(bookedDevice);
    await send(room, LiveMessage.Join, { sessionId: id });
    return { id, teacherSocket, room };
  }

  it('refuses a socket without a valid token in the handshake, saying why', async () => {
    await expect(connect({ ...student, token: 'forged' })).rejects.toThrow(/invalid or has expired/);
    await expect(connect()).rejects.toThrow('Please log in first');
  });

  it('lets only the teacher start the class, only inside the start window', async () => {
    const early = await session(60);
    const teacherSocket = await connect(teacher);
    const tooEarly = await send(teacherSocket, LiveMessage.StartClass, { sessionId: early });
    expect(tooEarly).toMatchObject({ ok: false, error: { status: 409 } });
    expect(!tooEarly.ok && tooEarly.error.message).toMatch(/can be started from 15 minutes before/);

    const soon = await session(5);
    const intruder = await send(await connect(otherTeacher), LiveMessage.StartClass, { sessionId: soon });
    expect(intruder).toMatchObject({ ok: false, error: { status: 403, message: 'Only the teacher of this session can start it' } });
    const device = await send(await connect(bookedDevice), LiveMessage.StartClass, { sessionId: soon });
    expect(device).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it('pushes the start to the booked classroom at once, not to others, and sets the session live', async () => {
    const id = await session(5);
    const booked = await connect(bookedDevice);
    const other = await connect(otherDevice);
    const heard: number[] = [];
    other.on(LiveEvent.SessionLive, (e: SessionLiveEvent) => heard.push(e.sessionId));
    const pushed = new Promise<SessionLiveEvent>((r) => booked.once(LiveEvent.SessionLive, r));

    const started = await send(await connect(teacher), LiveMessage.StartClass, { sessionId: id });
    expect(started).toEqual({ ok: true, data: { sessionId: id, status: 'live' } });
    expect((await pushed).sessionId).toBe(id);
    const [{ status }] = await t.dataSource.query('SELECT status FROM class_session WHERE id = $1', [id]);
    expect(status).toBe('live');
    await send(other, LiveMessage.Leave, { sessionId: id }); // a round trip: anything pushed to it has arrived
    expect(heard).toEqual([]);
  });

  it('lets the teacher, the booked classroom and admins join a live class, and refuses everyone else with a reason', async () => {
    const id = await session(2);
    const beforeStart = await send(await connect(bookedDevice), LiveMessage.Join, { sessionId: id });
    expect(beforeStart).toMatchObject({ ok: false, error: { status: 409, message: `Session ${id} has not started yet` } });
    await send(await connect(teacher), LiveMessage.StartClass, { sessionId: id });

    const roleOf = async (u: TestUser) => {
      const ack = await send<{ role: string; routerRtpCapabilities: { codecs: unknown[] } }>(await connect(u), LiveMessage.Join, { sessionId: id });
      return ack.ok ? ack.data.role : `${ack.error.status} ${ack.error.message}`;
    };
    expect(await roleOf(teacher)).toBe('teacher');
    expect(await roleOf(bookedDevice)).toBe('classroom');
    expect(await roleOf(admin)).toBe('observer');
    expect(await roleOf(otherDevice)).toBe(`403 This classroom is not booked on session ${id}`);
    expect(await roleOf(otherTeacher)).toMatch(/^403 Only the session's teacher/);
    expect(await roleOf(student)).toMatch(/^403 /);

    const joined = await send<{ routerRtpCapabilities: { codecs: { mimeType: string }[] } }>(await connect(bookedDevice), LiveMessage.Join, { sessionId: id });
    expect(joined.ok && joined.data.routerRtpCapabilities.codecs.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
  });

  it('follows bookings made and removed while the class is live (a join reads who is booked from the class)', async () => {
    const { id } = await classInSession(2);
    const [{ id: otherRoom }] = (await t.dataSource.query('SELECT id FROM classroom WHERE device_user_id = $1', [otherDevice.id])) as { id: number }[];
    const join = async () => send(await connect(otherDevice), LiveMessage.Join, { sessionId: id });
    expect(await join()).toMatchObject({ ok: false, error: { status: 403 } });
    await t.http.post(`/api/sessions/${id}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId: otherRoom, allowGradeMismatch: true }).expect(201);
    const live = (await t.app.get(ClassRegistry).find(id))!;
    await eventually(() => live.booked.has(otherRoom), { what: 'the class to know of the new booking' });
    expect((await join()).ok).toBe(true);
    await t.http.delete(`/api/sessions/${id}/classrooms/${otherRoom}`).auth(teacher.token, { type: 'bearer' }).expect((r) => expect(r.status).toBeLessThan(300));
    await eventually(() => !live.booked.has(otherRoom), { what: 'the class to know the booking was removed' });
    expect(await join()).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it('ends the class: everyone in it and the booked classroom hear it, and the session is ended', async () => {
    const id = await session(1);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    const room = await connect(bookedDevice);
    await send(room, LiveMessage.Join, { sessionId: id });
    const inClass = new Promise((r) => room.once(LiveEvent.ClassEnded, r));
    const onToday = new Promise((r) => room.once(LiveEvent.SessionEnded, r));
    expect(await send(teacherSocket, LiveMessage.EndClass, { sessionId: id })).toEqual({ ok: true, data: { sessionId: id } });
    await Promise.all([inClass, onToday]);
    const [{ status }] = await t.dataSource.query('SELECT status FROM class_session WHERE id = $1', [id]);
    expect(status).toBe('ended');
    expect(await send(teacherSocket, LiveMessage.StartClass, { sessionId: id })).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it('talk-back follows the floor: raise hand, grant, produce allowed; revoke; observers never send', async () => {
    const { id, teacherSocket, room } = await classInSession(3);
    const observer = await connect(admin);
    await send(observer, LiveMessage.Join, { sessionId: id });

    const sendTransport = await send<{ id: string; iceCandidates: { address: string; port: number; protocol: string }[] }>(room, LiveMessage.CreateTransport, {
      direction: 'send',
    });
    expect(sendTransport.ok).toBe(true);
    const transportId = sendTransport.ok ? sendTransport.data.id : '';
    // With nothing configured, the host's own addresses (and loopback) are announced, over UDP and over TCP.
    const candidates = sendTransport.ok ? sendTransport.data.iceCandidates : [];
    expect([...new Set(candidates.map((c) => c.protocol))].sort()).toEqual(['tcp', 'udp']);
    expect(candidates.map((c) => c.address)).toContain('127.0.0.1');
    expect(candidates.map((c) => c.address)).not.toContain('0.0.0.0');
    const produce = () => send(room, LiveMessage.Produce, { transportId, kind: 'video', rtpParameters: { codecs: [] }, source: 'camera' });

    expect(await produce()).toMatchObject({ ok: false, error: { status: 403, message: 'A classroom talks back only while the teacher has given it the floor' } });
    expect(await send(observer, LiveMessage.CreateTransport, { direction: 'send' })).toMatchObject({ ok: false, error: { status: 403 } });
    expect(await send(room, LiveMessage.GrantFloor, { classroomId: bookedRoom })).toMatchObject({ ok: false, error: { status: 403 } });

    const raised = new Promise<{ classroomIds: number[] }>((r) => teacherSocket.once(LiveEvent.HandsChanged, r));
    expect(await send(room, LiveMessage.RaiseHand, {})).toEqual({ ok: true, data: true });
    expect((await raised).classroomIds).toEqual([bookedRoom]);

    const granted = new Promise<{ floor: number | null; classroomIds: number[] }>((r) => room.once(LiveEvent.HandsChanged, r));
    expect(await send(teacherSocket, LiveMessage.GrantFloor, { classroomId: bookedRoom })).toMatchObject({ ok: true });
    expect(await granted).toEqual({ floor: bookedRoom, classroomIds: [] });
    // Now the role allows it; these made-up RTP parameters are then refused by mediasoup itself.
    expect(await produce()).toMatchObject({ ok: false, error: { status: 400, message: expect.stringMatching(/^The media could not be accepted/) } });

    expect(await send(teacherSocket, LiveMessage.RevokeFloor, { classroomId: bookedRoom })).toMatchObject({ ok: true });
    expect(await produce()).toMatchObject({ ok: false, error: { status: 403 } });
    expect(await send(teacherSocket, LiveMessage.RevokeFloor, { classroomId: bookedRoom })).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it('after a media worker dies, the classroom that held the floor finds it again when it re-joins, and may send', async () => {
    const { id, teacherSocket, room } = await classInSession(3);
    await send(room, LiveMessage.RaiseHand, {});
    await send(teacherSocket, LiveMessage.GrantFloor, { classroomId: bookedRoom });

    const rebuild = new Promise((r) => room.once(LiveEvent.Rebuild, r));
    const [slot] = await t.app.get(WorkerPool).started();
    process.kill(slot.worker.pid!, 'SIGKILL');
    await rebuild;
    const rejoined = await send<{ hands: { floor: number | null } }>(room, LiveMessage.Join, { sessionId: id });
    expect(rejoined.ok && rejoined.data.hands).toEqual({ floor: bookedRoom, classroomIds: [] });
    const transport = await send<{ id: string }>(room, LiveMessage.CreateTransport, { direction: 'send' });
    const transportId = transport.ok ? transport.data.id : '';
    // Allowed by the floor; the made-up RTP parameters are then refused by mediasoup itself.
    expect(await send(room, LiveMessage.Produce, { transportId, kind: 'video', rtpParameters: { codecs: [] }, source: 'camera' })).toMatchObject({
      ok: false,
      error: { status: 400, message: expect.stringMatching(/^The media could not be accepted/) },
    });
    await send(teacherSocket, LiveMessage.EndClass, { sessionId: id });
  });

  it('refuses media that is not in the class, and messages before joining', async () => {
    const id = await session(4);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    const room = await connect(bookedDevice);
    expect(await send(room, LiveMessage.CreateTransport, { direction: 'recv' })).toMatchObject({ ok: false, error: { status: 409, message: 'Join the class first' } });
    await send(room, LiveMessage.Join, { sessionId: id });
    const foreign = await send(room, LiveMessage.Consume, { producerId: '00000000-0000-4000-8000-000000000000', rtpCapabilities: {} });
    expect(foreign).toMatchObject({ ok: false, error: { status: 404, message: 'No such media in this class' } });
    expect(await send(room, LiveMessage.ConnectTransport, { transportId: '00000000-0000-4000-8000-000000000000', dtlsParameters: {} })).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });

  it('keeps chat and questions with the session and shows them to whoever joins later', async () => {
    const { id, teacherSocket, room } = await classInSession(6);
    const heard = new Promise<{ text: string; kind: string }>((r) => teacherSocket.once(LiveEvent.ChatPosted, r));
    const posted = await send<{ id: number }>(room, LiveMessage.SendChat, { text: '  老师，这道题怎么做？ ', kind: 'question' });
    expect(posted.ok).toBe(true);
    expect(await heard).toMatchObject({ text: '老师，这道题怎么做？', kind: 'question' });
    expect(await send(room, LiveMessage.SendChat, { text: 'x'.repeat(2001), kind: 'chat' })).toMatchObject({ ok: false, error: { status: 400 } });
    const later = await send<{ chat: { text: string }[] }>(await connect(admin), LiveMessage.Join, { sessionId: id });
    expect(later.ok && later.data.chat.map((m) => m.text)).toEqual(['老师，这道题怎么做？']);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM chat_message WHERE session_id = $1', [id]);
    expect(n).toBe(1);
  });

  it('limits each socket per message type: a chat flood gets RATE_LIMITED past the burst, and nothing of it is stored or broadcast', async () => {
    const { id, teacherSocket, room } = await classInSession(8);
    let broadcast = 0;
    teacherSocket.on(LiveEvent.ChatPosted, () => broadcast++);
    const acks = await Promise.all(Array.from({ length: 30 }, (_, i) => send(room, LiveMessage.SendChat, { text: `第${i}条`, kind: 'chat' })));
    const accepted = acks.filter((a) => a.ok).length;
    // A burst of 5, then 1 a second: the 30 arrive within well under a second.
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeLessThanOrEqual(6);
    const refused = acks.filter((a) => !a.ok);
    expect(refused[0]).toEqual({ ok: false, error: { status: 429, code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many "chat:send" messages; wait \d+ s$/) } });
    expect(refused.every((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM chat_message WHERE session_id = $1', [id]);
    expect(n).toBe(accepted);
    await send(teacherSocket, LiveMessage.Leave, { sessionId: id }); // a round trip: the broadcasts are in
    expect(broadcast).toBe(accepted);
    // Other message types have buckets of their own, and hands their own rate.
    expect((await send(room, LiveMessage.RaiseHand, {})).ok).toBe(true);
    const hands = await Promise.all(Array.from({ length: 10 }, () => send(room, LiveMessage.LowerHand, {})));
    expect(hands.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5);
  });

  it('fills attendance from joins and leaves, without a gap for a blip, and keeps the link quality reported', async () => {
    const id = await session(7);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    await send(teacherSocket, LiveMessage.Join, { sessionId: id });
    const row = async () =>
      (await t.dataSource.query('SELECT joined_at, left_at, present_since, quality FROM attendance WHERE session_id = $1 AND classroom_id = $2', [id, bookedRoom]))[0];

    let room = await connect(bookedDevice);
    await send(room, LiveMessage.Join, { sessionId: id });
    // Written a moment after the join (a join storm's joins are written together).
    const joinedAt = await eventually(async () => (await row())?.joined_at ?? null, { what: "the classroom's join to be written" });
    expect(joinedAt).not.toBeNull();

    const heard = new Promise<{ classroomId: number; quality: { grade: string; maxLossPct: number } }>((r) => teacherSocket.once(LiveEvent.QualityChanged, r));
    const reported = await send(room, LiveMessage.ReportStats, { bitrateKbps: 900, lossPct: 2.5, jitterMs: 12, framesDecoded: 300 });
    expect(reported).toMatchObject({ ok: true, data: { samples: 1, grade: 'fair' } });
    expect(await heard).toMatchObject({ classroomId: bookedRoom, quality: { maxLossPct: 2.5 } });
    expect((await row()).quality).toMatchObject({ avgBitrateKbps: 900, maxLossPct: 2.5, grade: 'fair' });
    expect(await send(teacherSocket, LiveMessage.ReportStats, { bitrateKbps: 1, lossPct: 0, jitterMs: 0, framesDecoded: 0 })).toMatchObject({ ok: false, error: { status: 403 } });

    // A blip: the network drops and the classroom is back at once: still present, same join time.
    room.disconnect();
    room = await connect(bookedDevice);
    await send(room, LiveMessage.Join, { sessionId: id });
    // Proves a "left" does NOT come: the drop's grace timer would have fired by now had the rejoin not cancelled it.
    await outlastGracePeriod();
    expect(await row()).toMatchObject({ joined_at: joinedAt, left_at: null });
    expect((await row()).present_since).not.toBeNull();

    // Gone for longer than the grace period: recorded as left.
    room.disconnect();
    const after = await eventually(async () => {
      const r = await row();
      return r.left_at !== null && r;
    }, { what: 'the classroom to be recorded as left after the grace period' });
    expect(after.present_since).toBeNull();
  });

  it('closes a class that ran past its end (plus the grace period) with its teacher gone, not one she is still in', async () => {
    const { LiveService } = await import('../../src/live/live.service.js');
    const live = t.app.get(LiveService);
    const id = await session(9);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    await send(teacherSocket, LiveMessage.Join, { sessionId: id });
    const afterEnd = new Date(Date.now() + (9 + 40) * 60_000 + 5_000);
    expect(await live.sweep(afterEnd)).not.toContain(id);

    const room = await connect(bookedDevice);
    await send(room, LiveMessage.Join, { sessionId: id });
    const told = new Promise((r) => room.once(LiveEvent.ClassEnded, r));
    // The classroom hears that she left once the class no longer counts her (with the second's other changes).
    const teacherLeft = new Promise<PeerInfo>((r) =>
      room.on(LiveEvent.PeersChanged, ({ changes }: PeersChangedEvent) => {
        const left = changes.find((c) => c.change === 'left' && c.peer.role === 'teacher');
        if (left) r(left.peer);
      }),
    );
    teacherSocket.disconnect();
    expect(await teacherLeft).toMatchObject({ role: 'teacher' });
    expect(await live.sweep(new Date(Date.now() + 10 * 60_000))).not.toContain(id); // before the end
    expect(await live.sweep(afterEnd)).toContain(id);
    await told;
    const [{ status }] = await t.dataSource.query('SELECT status FROM class_session WHERE id = $1', [id]);
    expect(status).toBe('ended');
  });

  it('exposes Prometheus metrics of live rooms, peers and workers', async () => {
    const id = await session(8);
    const teacherSocket = await connect(teacher);
    await send(teacherSocket, LiveMessage.StartClass, { sessionId: id });
    await send(teacherSocket, LiveMessage.Join, { sessionId: id });
    await send(teacherSocket, LiveMessage.CreateTransport, { direction: 'recv' });
    const text = (await t.http.get('/metrics').expect(200)).text;
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text)?.[1]);
    expect(value('tongke_live_rooms')).toBeGreaterThanOrEqual(1);
    expect(value('tongke_live_peers')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^tongke_worker_consumers\{worker="0"\} \d+$/m);
    expect(text).toMatch(/^tongke_worker_cpu_seconds_total\{worker="0"\} [\d.]+$/m);
    expect(text).toMatch(/^tongke_media_bytes_out_total \d+$/m);
  });

  it('answers every malformed message with an error and stays up', async () => {
    const socket = await connect(teacher);
    const bad: unknown[] = [null, 'text', 42, [], {}, { sessionId: 'x' }, { sessionId: -1 }, { sessionId: 1.5 }, { sessionId: 1, extra: true }, { sessionId: 2 ** 40 }];
    const answers = [];
    for (let i = 0; i < 300; i++) answers.push(send(socket, LiveMessage.Join, bad[i % bad.length]));
    const acks = await Promise.all(answers);
    // Each is refused: as malformed, or, past the flood limit of its type, as too many.
    expect(acks.every((a) => !a.ok && (a.error.status === 400 || a.error.code === 'RATE_LIMITED'))).toBe(true);
    expect(acks.filter((a) => !a.ok && a.error.status === 400).length).toBeGreaterThanOrEqual(60);
    const sample = acks[5];
    expect(!sample.ok && sample.error.message).toMatch(/^Invalid message: sessionId must/);
    // Every message type, fed garbage by a socket that never joined: each gets an error answer.
    const all = await Promise.all(
      Object.values(LiveMessage).flatMap((message) => [...bad, { transportId: 'x'.repeat(5000) }, { producerId: 7 }].map((b) => send(socket, message, b))),
    );
    expect(all).toHaveLength(Object.values(LiveMessage).length * (bad.length + 2));
    expect(all.every((a) => !a.ok && [400, 403, 409, 429].includes(a.error.status))).toBe(true);
    // Whatever is wrong with a sessionId, the answer says what it must be (on a socket that has not flooded).
    const calm = await connect(teacher);
    for (const sessionId of ['7', null, '', 0, -3, 1.5, 'abc', [], {}]) {
      expect(await send(calm, LiveMessage.Join, { sessionId })).toEqual({ ok: false, error: expect.objectContaining({ status: 400, message: 'Invalid message: sessionId must be a positive integer' }) });
    }
    expect(await send(calm, LiveMessage.Join, { sessionId: 2 ** 31 })).toMatchObject({ ok: false, error: { status: 400, message: 'Invalid message: sessionId must be at most 2147483647' } });
    const unknownSession = await send(calm, LiveMessage.Join, { sessionId: 999999 });
    expect(unknownSession).toMatchObject({ ok: false, error: { status: 404 } });
    await t.http.get('/health').expect(200);
  });
});
