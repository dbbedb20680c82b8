import { FakeClock } from '../../test/support/fake-clock.js';
import type { AttendanceService } from '../scheduling/attendance.service.js';
import { ClassAttendance } from './class-attendance.js';
import { ClassEvents } from './class-events.js';
import type { ClassRegistry } from './class-registry.js';
import type { LiveClass } from './live-class.js';
import type { Peer } from './sfu/peer.js';

/** The attendance of classrooms from a class's events, on a clock the test moves: no waiting for grace periods. */
describe(ClassAttendance.name, () => {
  const GRACE_MS = 30_000;
  let clock: FakeClock;
  let written: string[];
  let live: { sessionId: number; peers: Map<string, Peer>; events: ClassEvents; peersOfClassroom(id: number): Peer[] };

  beforeEach(() => {
    clock = new FakeClock();
    written = [];
    const at = (d: Date) => `+${(d.getTime() - new Date('2026-12-07T01:00:00Z').getTime()) / 1000}s`;
    const attendance = {
      markJoined: async (_s: number, joins: { classroomId: number; at: Date }[]) => void written.push(`joined ${joins.map((j) => `${j.classroomId}@${at(j.at)}`).join(',')}`),
      markLeft: async (_s: number, classroomId: number, when: Date) => void written.push(`left ${classroomId}@${at(when)}`),
      setQuality: async (_s: number, classroomId: number) => void written.push(`quality ${classroomId}`),
    } as unknown as AttendanceService;
    let follow: (l: LiveClass) => void = () => undefined;
    const registry = { onOpened: (fn: (l: LiveClass) => void) => (follow = fn) } as unknown as ClassRegistry;
    const sut = new ClassAttendance(registry, attendance, clock, GRACE_MS);
    sut.onModuleInit();
    const peers = new Map<string, Peer>();
    live = {
      sessionId: 7,
      peers,
      events: new ClassEvents((event, e) => {
        throw new Error(`${event}: ${e.message}`);
      }),
      peersOfClassroom: (id) => [...peers.values()].filter((p) => p.classroomId === id),
    };
    follow(live as unknown as LiveClass);
  });

  const peer = (id: string, classroomId: number) => ({ id, classroomId, role: 'classroom' }) as unknown as Peer;
  const join = async (p: Peer) => {
    live.peers.set(p.id, p);
    await live.events.emit('peerJoined', p);
  };
  const leave = async (p: Peer) => {
    live.peers.delete(p.id);
    await live.events.emit('peerLeft', p);
  };

  it('writes a storm of joins together, a moment later, in one write', async () => {
    await join(peer('a', 1));
    await join(peer('b', 2));
    expect(written).toEqual([]);
    await clock.advance(100);
    expect(written).toEqual(['joined 1@+0s,2@+0s']);
  });

  it('counts a classroom as gone only once the grace period has passed without it, at the time it left', async () => {
    const a = peer('a', 1);
    await join(a);
    await clock.advance(5000);
    await leave(a);
    await clock.advance(GRACE_MS - 1);
    expect(written).toEqual(['joined 1@+0s']);
    await clock.advance(1);
    expect(written).toEqual(['joined 1@+0s', 'left 1@+5s']);
  });

  it('keeps a classroom present through a blip: back within the grace period, no leave and no second join', async () => {
    await join(peer('a', 1));
    await clock.advance(200);
    await leave(peer('a', 1));
    await clock.advance(10_000);
    await join(peer('a2', 1));
    await clock.advance(GRACE_MS * 2);
    expect(written).toEqual(['joined 1@+0s']);
  });

  it('leaves a classroom present while another of its devices is still in the class', async () => {
    await join(peer('a', 1));
    await join(peer('b', 1));
    await leave(peer('a', 1));
    await clock.advance(GRACE_MS * 2);
    expect(written).toEqual(['joined 1@+0s']);
  });

  it("writes a link report after the classroom's join, and closes everyone present when the class ends", async () => {
    await join(peer('a', 1));
    await live.events.emit('linkQuality', 1, { samples: 1, avgBitrateKbps: 1, maxLossPct: 0, avgJitterMs: 0, framesDecoded: 0, grade: 'good' });
    expect(written).toEqual(['joined 1@+0s', 'quality 1']);
    await join(peer('b', 2));
    await leave(peer('b', 2));
    await clock.advance(1000);
    await live.events.emit('ending');
    expect(written).toEqual(['joined 1@+0s', 'quality 1', 'joined 2@+0s', 'left 1@+1s', 'left 2@+1s']);
    expect(clock.pending).toBe(0);
  });
});
