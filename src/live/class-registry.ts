import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import type { SessionCore } from '../scheduling/session.repository.js';
import { ChatRepository } from './chat.repository.js';
import { SessionsService } from '../scheduling/sessions.service.js';
import { ClassHomes } from './class-homes.js';
import { CHAT_KEPT, LiveClass } from './live-class.js';
import { LiveNotifier } from './live-notifier.js';
import { RECEIVER_SEATS } from './sfu/peer.js';
import { Room } from './sfu/room.js';
import { SFU_OPTIONS, type SfuOptions } from './sfu/sfu.options.js';
import { WorkerPool } from './sfu/worker-pool.js';

export const LIVE_RECONNECT_GRACE_MS = Symbol('LIVE_RECONNECT_GRACE_MS');

/**
 * The live classes of this node, one per live session. Get-or-create goes through one promise per session,
 * so two simultaneous joins can't make two rooms. Whoever follows classes (attendance, the recorder) subscribes
 * with `onOpened` and then to the class's own events.
 */
@Injectable()
export class ClassRegistry implements OnModuleDestroy {
  private readonly logger = new Logger('LiveClass');
  private readonly classes = new Map<number, Promise<LiveClass>>();
  private readonly openedListeners: ((live: LiveClass) => void)[] = [];
  private edgeFeeder?: (live: LiveClass) => Promise<void>;

  constructor(
    private readonly pool: WorkerPool,
    @Inject(SFU_OPTIONS) private readonly options: SfuOptions,
    private readonly notifier: LiveNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LIVE_RECONNECT_GRACE_MS) private readonly graceMs: number,
    private readonly chat: ChatRepository,
    private readonly homes: ClassHomes,
    private readonly sessions: SessionsService,
  ) {}

  /** Runs for each class opened from now on, before anyone is in it. */
  onOpened(listener: (live: LiveClass) => void): void {
    this.openedListeners.push(listener);
  }

  /** How an edge class gets its media from its home (ClassPipes, with several nodes). */
  feedEdgesWith(feeder: (live: LiveClass) => Promise<void>): void {
    this.edgeFeeder = feeder;
  }

  /**
   * The live class of this session (`facts`: the session, live), opened the first time it is asked for: as its home,
   * or, when another node is its home and `asTeacher` is false, as an edge of it, fed through a pipe from there.
   */
  open(facts: SessionCore, { asTeacher = true } = {}): Promise<LiveClass> {
    const sessionId = facts.id;
    let live = this.classes.get(sessionId);
    if (!live) {
      // This node becomes the class's home first: with several nodes, no other opens it meanwhile.
      live = (asTeacher ? this.homes.claim(sessionId).then(() => null) : this.homes.place(sessionId, false))
        .then((home) => {
          if (home !== null && !this.edgeFeeder) throw new Error('an edge class needs pipes between nodes');
          return Promise.all([
            home,
            Room.create(this.pool, `session-${sessionId}`, this.options.maxConsumersPerRouter),
            this.chat.recent(sessionId, CHAT_KEPT),
            this.sessions.bookedClassroomIds(sessionId),
          ]);
        })
        .then(async ([home, room, chat, booked]) => {
          const options = { notifier: this.notifier, clock: this.clock, graceMs: this.graceMs, log: this.logger, homeNode: home ?? undefined };
          const c = new LiveClass(facts, room, options);
          c.addChat(...chat);
          c.booked = new Set(booked);
          // The routers its booked classrooms will receive on, before they join. An edge (which takes only some of
          // them, and opens when the first arrives) opens them while its first classrooms join.
          const preparing = room.prepare(booked.length * RECEIVER_SEATS);
          if (home === null) await preparing;
          else void preparing.catch((e: Error) => this.logger.warn(`session ${sessionId}: ${e.message}`));
          for (const listener of this.openedListeners) listener(c);
          if (home !== null) {
            try {
              await this.edgeFeeder!(c);
            } catch (e) {
              c.close();
              throw e;
            }
          }
          return c;
        });
      this.classes.set(sessionId, live);
      const opening = live;
      live.catch(() => {
        if (this.classes.get(sessionId) === opening) this.classes.delete(sessionId);
        void this.homes.release(sessionId);
      });
    }
    return live;
  }

  /** The class of this session, if it is open here. */
  async find(sessionId: number): Promise<LiveClass | undefined> {
    return this.classes.get(sessionId)?.catch(() => undefined);
  }

  async close(sessionId: number): Promise<void> {
    const live = this.classes.get(sessionId);
    this.classes.delete(sessionId);
    (await live?.catch(() => undefined))?.close();
    if (live) await this.homes.release(sessionId);
  }

  /** The classes that opened successfully. */
  async all(): Promise<LiveClass[]> {
    const settled = await Promise.allSettled(this.classes.values());
    return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  get size(): number {
    return this.classes.size;
  }

  async onModuleDestroy(): Promise<void> {
    for (const id of [...this.classes.keys()]) await this.close(id);
  }
}
