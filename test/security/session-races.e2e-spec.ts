import type { Socket } from 'socket.io-client';
import { LiveMessage, type LiveAck } from '../../src/contracts/live.js';
import { RecordingRepository } from '../../src/recordings/recording.repository.js';
import { connectLive, listenLive } from '../support/live-socket.js';
import { freePorts } from '../support/ports.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #12.2: a session's status has one writer, with guarded transitions. A cancel and a start arriving together used
 * to both pass their checks and both write (the last write won): in 1 of 24 rounds both were accepted, and the
 * teacher was in an open class of a session stored as cancelled. Now exactly one of them wins, the other is
 * refused with 409, and the stored status is the winner's.
 */
describe('session status under concurrent requests', () => {
  let t: TestApp;
  let url: string;
  let teacher: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await TestApp.create({ MEDIASOUP_WORKERS: '1', MEDIASOUP_WEBRTC_PORT: String(await freePorts(1)) });
    url = await listenLive(t);
    teacher = await t.user('teacher');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  async function session(minutesAhead: number): Promise<number> {
    const course = await t.course(teacher, { gradeId: 3 });
    const start = new Date(Date.now() + minutesAhead * 60_000);
    const s = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    return s.body.id as number;
  }

  it('a cancel racing a start: one wins, the other gets 409, and the stored status is the winner’s (24 rounds)', async () => {
    const socket = await connectLive(url, teacher.token, sockets);
    const outcomes: string[] = [];
    for (let round = 0; round < 24; round++) {
      // 24 sessions an hour apart: each round's class is in its start window and overlaps no other.
      const id = await session(5 + round * 60);
      const [cancel, start] = await Promise.all([
        t.http.post(`/api/sessions/${id}/cancel`).auth(teacher.token, { type: 'bearer' }),
        socket.timeout(10_000).emitWithAck(LiveMessage.StartClass, { sessionId: id }) as Promise<LiveAck<unknown>>,
      ]);
      const [{ status }] = (await t.dataSource.query('SELECT status FROM class_session WHERE id = $1', [id])) as { status: string }[];
      const cancelled = cancel.status === 201 || cancel.status === 200;
      outcomes.push(`${cancelled ? 'cancel' : 'start'}:${status}`);
      expect(cancelled).not.toBe(start.ok);
      if (cancelled) {
        expect(status).toBe('cancelled');
        expect(!start.ok && start.error.status).toBe(409);
      } else {
        expect(status).toBe('live');
        expect(cancel.status).toBe(409);
        // Ends it, so that its class doesn't hold the room for the next rounds.
        expect(((await socket.timeout(10_000).emitWithAck(LiveMessage.EndClass, { sessionId: id })) as LiveAck<unknown>).ok).toBe(true);
      }
    }
    expect(outcomes).toHaveLength(24);
  }, 120_000);

  it("a recording's compare-and-set refuses a transition from a status it is not in", async () => {
    const id = await session(5 + 25 * 60);
    const recordings = t.app.get(RecordingRepository);
    const rec = await recordings.open(id);
    expect(rec.status).toBe('recording');
    expect(await recordings.transition(rec.id, ['ready'], 'processing')).toBe(false);
    expect(await recordings.transition(rec.id, ['recording'], 'processing')).toBe(true);
    expect(await recordings.transition(rec.id, ['recording'], 'processing')).toBe(false);
    const [{ status }] = (await t.dataSource.query('SELECT status FROM recording WHERE id = $1', [rec.id])) as { status: string }[];
    expect(status).toBe('processing');
  });
});
