import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';
import { AttendanceService } from '../scheduling/attendance.service.js';
import { ClassRegistry, LIVE_RECONNECT_GRACE_MS } from './class-registry.js';
import type { LiveClass } from './live-class.js';

/**
 * A classroom's attendance, from its class's events: present from its first device's join until its last device
 * leaves and isn't back within the reconnect grace (a dropped rural link that comes back is no absence), or until
 * the class ends. Its link summary is saved with it.
 */
/** How long joins are gathered before they are written (a storm's in one statement). */
const JOIN_WRITE_DELAY_MS = 100;

@Injectable()
export class ClassAttendance implements OnModuleInit {
  private readonly logger = new Logger(ClassAttendance.name);

  constructor(
    private readonly classes: ClassRegistry,
    private readonly attendance: AttendanceService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LIVE_RECONNECT_GRACE_MS) private readonly graceMs: number,
  ) {}

  onModuleInit(): void {
    this.classes.onOpened((live) => this.follow(live));
  }

  private follow(live: LiveClass): void {
    const { sessionId } = live;
    /** Classrooms whose last device left and may come back within the grace period: their pending "left". */
    const leaving = new Map<number, Timer>();
    /**
     * Joins not written yet: a join storm's are written together, a moment later, in one statement, so that no
     * join waits for the database (200 classrooms joining at once queued behind each other's writes).
     */
    let joined: { classroomId: number; at: Date }[] = [];
    let writing: Promise<void> = Promise.resolve();
    let flushTimer: Timer | undefined;
    const flush = (): Promise<void> => {
      this.clock.clearTimeout(flushTimer);
      flushTimer = undefined;
      const batch = joined;
      joined = [];
      if (batch.length) writing = writing.then(() => this.attendance.markJoined(sessionId, batch)).catch((e: Error) => this.logger.error(`attendance: ${e.message}`));
      return writing;
    };

    live.events.on('peerJoined', async (peer) => {
      if (peer.classroomId === null || live.peersOfClassroom(peer.classroomId).length > 1) return;
      const pending = leaving.get(peer.classroomId);
      if (pending) {
        // Back within the grace period: its attendance runs on without a gap.
        this.clock.clearTimeout(pending);
        leaving.delete(peer.classroomId);
      } else {
        joined.push({ classroomId: peer.classroomId, at: this.clock.now() });
        flushTimer ??= this.clock.setTimeout(() => void flush(), JOIN_WRITE_DELAY_MS);
      }
    });

    live.events.on('peerLeft', (peer) => {
      const classroomId = peer.classroomId;
      if (classroomId === null || live.peersOfClassroom(classroomId).length > 0) return;
      // Its last device left: it is counted as gone only if it isn't back within the grace period.
      const leftAt = this.clock.now();
      this.clock.clearTimeout(leaving.get(classroomId));
      leaving.set(
        classroomId,
        this.clock.setTimeout(() => {
          leaving.delete(classroomId);
          // After its join is written.
          void flush()
            .then(() => this.attendance.markLeft(sessionId, classroomId, leftAt))
            .catch((e: Error) => this.logger.error(`attendance: ${e.message}`));
        }, this.graceMs),
      );
    });

    // After the classroom's join is written: the report updates its row.
    live.events.on('linkQuality', async (classroomId, quality) => {
      if (joined.some((j) => j.classroomId === classroomId)) await flush();
      else await writing;
      await this.attendance.setQuality(sessionId, classroomId, quality);
    });

    live.events.on('ending', async () => {
      await flush();
      const now = this.clock.now();
      const present = new Set([...live.peers.values()].map((p) => p.classroomId).filter((c): c is number => c !== null));
      for (const [classroomId, timer] of leaving) {
        this.clock.clearTimeout(timer);
        present.add(classroomId);
      }
      leaving.clear();
      for (const classroomId of present) await this.attendance.markLeft(sessionId, classroomId, now);
    });

    live.events.on('closed', () => {
      for (const timer of leaving.values()) this.clock.clearTimeout(timer);
      leaving.clear();
      if (joined.length) void flush();
    });
  }
}
