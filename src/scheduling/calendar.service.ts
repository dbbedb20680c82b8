import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import ical, { ICalEventStatus } from 'ical-generator';
import { randomBytes } from 'node:crypto';
import type { CalendarFeedDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CalendarRepository, type FeedOwner } from './calendar.repository.js';
import { SessionRepository } from './session.repository.js';
import { toSessionDtos } from './scheduling.dto.js';

const PAST_DAYS = 60;
const FUTURE_DAYS = 400;

/**
 * iCalendar feeds of a classroom's or a teacher's sessions, at a secret URL per feed (schools subscribe in
 * ordinary calendar apps, which cannot log in). Rotating the secret retires the old URL.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly feeds: CalendarRepository,
    private readonly sessions: SessionRepository,
  ) {}

  async feed(actor: AuthUser, owner: FeedOwner): Promise<CalendarFeedDto> {
    await this.assertOwner(actor, owner);
    const token = (await this.feeds.token(owner)) ?? (await this.rotateToken(owner));
    return { url: feedUrl(token) };
  }

  async rotate(actor: AuthUser, owner: FeedOwner): Promise<CalendarFeedDto> {
    await this.assertOwner(actor, owner);
    return { url: feedUrl(await this.rotateToken(owner)) };
  }

  /** The .ics text for a feed token; 404 for an unknown (or rotated-away) token. */
  async ics(token: string): Promise<string> {
    const owner = /^[A-Za-z0-9_-]{32,64}$/.test(token) ? await this.feeds.ownerOf(token) : null;
    if (!owner) throw new NotFoundException('This calendar link is unknown or has been replaced');
    const now = Date.now();
    const list = toSessionDtos(
      await this.sessions.find({
        from: new Date(now - PAST_DAYS * 86400_000),
        to: new Date(now + FUTURE_DAYS * 86400_000),
        ...(owner.kind === 'classroom' ? { classroomId: owner.id } : { teacherId: owner.id }),
      }),
    );
    const calendar = ical({ name: `同课 Tongke · ${owner.name}`, timezone: owner.timezone, prodId: { company: 'tongke', product: 'tongke' } });
    for (const s of list) {
      const rooms = s.classrooms.map((r) => `${r.schoolName} ${r.classroomName}`).join('、');
      calendar.createEvent({
        id: `session-${s.id}@tongke`,
        start: new Date(s.startsAt),
        end: new Date(s.endsAt),
        summary: s.title,
        description: `${s.courseTitle}\n${s.teacher.displayName}${rooms ? `\n${rooms}` : ''}`,
        status: s.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    return calendar.toString();
  }

  private async rotateToken(owner: FeedOwner): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.feeds.rotate(owner, token);
    return token;
  }

  private async assertOwner(actor: AuthUser, owner: FeedOwner): Promise<void> {
    if (owner.kind === 'classroom') {
      const room = await this.sessions.classroom(owner.id);
      if (!room) throw new NotFoundException(`Classroom ${owner.id} does not exist`);
      if (actor.role === 'admin' || room.deviceUserId === actor.id) return;
      throw new ForbiddenException("Only the classroom itself or an admin may see this classroom's calendar link");
    }
    if (actor.role === 'admin' || (actor.role === 'teacher' && actor.id === owner.id)) return;
    throw new ForbiddenException("Only the teacher herself or an admin may see a teacher's calendar link");
  }
}

function feedUrl(token: string): string {
  return `/api/calendar/${token}.ics`;
}
