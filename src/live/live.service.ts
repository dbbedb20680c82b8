import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';
import { LiveEvent, type ChatMessage, type JoinResult, type StartClassResult } from '../contracts/live.js';
import { SessionLifecycle } from '../scheduling/session-lifecycle.js';
import { assertCanEnd, assertCanStart, assertJoinable, liveRoleIn } from '../scheduling/session.policy.js';
import type { SessionCore } from '../scheduling/session.repository.js';
import { SessionsService } from '../scheduling/sessions.service.js';
import { ChatRepository } from './chat.repository.js';
import { ClassPipes } from './class-pipes.js';
import { NodeBus } from './node-bus.js';
import { ClassRegistry, LIVE_RECONNECT_GRACE_MS } from './class-registry.js';
import type { LiveClass } from './live-class.js';
import { LiveNotifier } from './live-notifier.js';
import type { ChatDto } from './live.dto.js';
import { Peer, RECEIVER_SEATS } from './sfu/peer.js';

export const LIVE_START_WINDOW_MS = Symbol('LIVE_START_WINDOW_MS');

/** A connection's place in a class: the class and its peer there. */
export interface Seat {
  live: LiveClass;
  peer: Peer;
}

/**
 * The schedule's rules of the live class: who opens it and when, who may be in it, who ends it, and the sweep of
 * classes left running. What happens inside a class is LiveClass's; its media, each Peer's.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private sweeper?: Timer;

  constructor(
    private readonly sessions: SessionsService,
    private readonly lifecycle: SessionLifecycle,
    private readonly classes: ClassRegistry,
    private readonly chat: ChatRepository,
    private readonly notifier: LiveNotifier,
    private readonly pipes: ClassPipes,
    private readonly bus: NodeBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LIVE_START_WINDOW_MS) private readonly startWindowMs: number,
    @Inject(LIVE_RECONNECT_GRACE_MS) private readonly graceMs: number,
  ) {}

  onModuleInit(): void {
    // A class keeps who is booked on it: a booking made or removed while it is live, on this node or another, is
    // read again on every node where it is open.
    this.sessions.onBookingsChanged((sessionId) => {
      void this.rereadBookings(sessionId);
      this.bus.broadcast('class:bookings', { sessionId });
    });
    this.bus.on('class:bookings', (body) => this.rereadBookings((body as { sessionId: number }).sessionId));
    this.sweeper = this.clock.setInterval(() => void this.sweep().catch((e: Error) => this.logger.error(`sweep: ${e.message}`)), 60_000);
  }

  onModuleDestroy(): void {
    this.clock.clearInterval(this.sweeper);
  }

  /**
   * Closes the classes that ran past their end by more than the grace period with their teacher gone (a
   * teacher who forgot to press "end", or whose connection died at the end of the lesson). Run every minute.
   */
  async sweep(now = this.clock.now()): Promise<number[]> {
    const ended: number[] = [];
    for (const live of await this.classes.all()) {
      // An edge's class ends with its home's.
      if (live.homeNode !== null || live.hasTeacher()) continue;
      const core = await this.sessions.core(live.sessionId);
      if (!core || core.status !== 'live' || now.getTime() < core.endsAt.getTime() + this.graceMs) continue;
      this.logger.log(`session ${live.sessionId} ran past its end with its teacher gone: closing it`);
      if (await this.finish(live.sessionId)) ended.push(live.sessionId);
    }
    return ended;
  }

  private async rereadBookings(sessionId: number): Promise<void> {
    const live = await this.classes.find(sessionId);
    if (!live) return;
    live.booked = new Set(await this.sessions.bookedClassroomIds(sessionId));
    await live.room.prepare(live.booked.size * RECEIVER_SEATS);
  }

  /** The session's teacher opens the class, from the start window before its start until its end. */
  async start(actor: AuthUser, sessionId: number, now = this.clock.now()): Promise<StartClassResult> {
    const core = await this.requireSession(sessionId);
    // Cancelled (or started) since it was read: the transition refuses, and the refusal says why.
    if (assertCanStart(actor, core, now, this.startWindowMs) && !(await this.lifecycle.open(sessionId))) {
      assertCanStart(actor, await this.requireSession(sessionId), now, this.startWindowMs);
    }
    const live = await this.classes.open({ ...core, status: 'live' });
    // A class bigger than this node: its edge opens now, before its classrooms are sent there.
    await this.pipes.openEdgeAhead(live).catch((e: Error) => this.logger.warn(`session ${sessionId}: opening its edge ahead: ${e.message}`));
    // Told with the announcement, so a classroom can offer "watch live with rewind" at once.
    const recordingId = await live.recording;
    const { title, startsAt, endsAt } = core;
    this.notifier.toClassrooms(await this.bookedClassrooms(sessionId), LiveEvent.SessionLive, {
      sessionId,
      title,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      recordingId,
    });
    return { sessionId, status: 'live' };
  }

  /**
   * Who may be in the class: its teacher, the classrooms booked on it, admins as observers. A join into a class open
   * here reads no database: the session, who is booked and the chat are the class's own state.
   */
  async join(actor: AuthUser, peerId: string, sessionId: number, unreachable?: string): Promise<{ seat: Seat; result: JoinResult }> {
    const open = await this.classes.find(sessionId);
    const core = open?.facts ?? (await this.requireSession(sessionId));
    // Served from the class's own list when it is open here; one not on it is looked up (booked a moment ago).
    const booked = actor.classroomId !== null && ((open?.booked.has(actor.classroomId) ?? false) || (await this.sessions.isBooked(core.id, actor.classroomId)));
    const role = liveRoleIn(actor, core, booked);
    const classroomId = role === 'classroom' ? actor.classroomId : null;
    assertJoinable(core);
    if (role === 'teacher' && open?.homeNode) {
      throw new ServiceUnavailableException({ code: 'CLASS_ON_OTHER_NODE', message: `Session ${sessionId} is live on another server (${open.homeNode}); try again in a moment` });
    }
    const live = open ?? (await this.classes.open(core, { asTeacher: role === 'teacher' }));
    // A home carrying as many classrooms of the class as it takes sends the next to another node.
    const elsewhere = role === 'classroom' ? await this.pipes.overflow(live, classroomId, unreachable) : null;
    if (elsewhere) {
      throw new ServiceUnavailableException({ code: 'CLASS_FULL_HERE', node: elsewhere, message: `This server is full for session ${sessionId}; connect to ${elsewhere}` });
    }
    await live.leave(peerId);
    const seats = role === 'teacher' ? 0 : RECEIVER_SEATS;
    const peer = new Peer({ id: peerId, user: actor, role, classroomId }, await live.room.routerForConsumer(seats), seats);
    await live.admit(peer);
    await live.takeSeat(actor.id, peerId);
    const result: JoinResult = {
      sessionId,
      role,
      peerId,
      self: peer.info(),
      routerRtpCapabilities: live.room.rtpCapabilities,
      peers: live.roster(peerId),
      producers: live.producerInfos(peerId),
      hands: live.floor.queue(),
      chat: live.recentChat(),
      receptions: live.receptionsFor(role, classroomId),
    };
    return { seat: { live, peer }, result };
  }

  /** Its teacher or an admin ends the class. */
  async end(actor: AuthUser, sessionId: number): Promise<void> {
    assertCanEnd(actor, await this.requireSession(sessionId));
    if (!(await this.finish(sessionId))) throw new ConflictException(`Session ${sessionId} is not live`);
  }

  async postChat(actor: AuthUser, { live, peer }: Seat, body: ChatDto): Promise<ChatMessage> {
    const message = await this.chat.post(live.sessionId, actor.id, peer.classroomId, body.kind, body.text);
    live.addChat(message);
    live.remote?.chat(message);
    this.notifier.toClass(live.sessionId, LiveEvent.ChatPosted, message);
    return message;
  }

  /**
   * Ends a live class: the session is ended, everyone is told, what follows the class (attendance, the
   * recording) is closed while its media still exists, and the room is freed. False when it was not live.
   */
  private async finish(sessionId: number): Promise<boolean> {
    if (!(await this.lifecycle.close(sessionId))) return false;
    this.notifier.toClass(sessionId, LiveEvent.ClassEnded, { sessionId });
    await (await this.classes.find(sessionId))?.events.emit('ending');
    await this.classes.close(sessionId);
    this.notifier.toClassrooms(await this.bookedClassrooms(sessionId), LiveEvent.SessionEnded, { sessionId });
    return true;
  }

  private bookedClassrooms(sessionId: number): Promise<number[]> {
    return this.sessions.bookedClassroomIds(sessionId);
  }

  private async requireSession(id: number): Promise<SessionCore> {
    const core = await this.sessions.core(id);
    if (!core) throw new NotFoundException(`Session ${id} does not exist`);
    return core;
  }
}
