import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassSessionDto } from '@contracts/api';
import { useFormat } from '../lib/format';
import { groupByDay, isHappening } from '../lib/schedule';
import { hasRecordingLink, SessionRecordingLink } from './SessionRecordingLink';
import { SessionStatusTag } from './SessionStatus';

interface ItemProps {
  session: ClassSessionDto;
  testId: string;
  /** List the booked classrooms (a teacher wants to know who she teaches; a classroom knows where it is). */
  showClassrooms?: boolean;
  /** Buttons at the end of the row (a teacher's "start class"); the live or replay link comes before them. */
  actions?: ReactNode;
}

export function SessionItem({ session, testId, showClassrooms = false, actions }: ItemProps) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li
      className={isHappening(session) ? 'session-item' : 'session-item cancelled'}
      data-testid={testId}
      data-session-id={session.id}
    >
      <span className="session-item-time">
        {format.time(session.startsAt, session.timezone)}–{format.time(session.endsAt, session.timezone)}
      </span>
      <div className="session-item-text">
        <strong>{session.title}</strong>
        <span className="muted">
          {format.name(session.subject)}
          {' · '}
          {t('schedule.teacher', { name: session.teacher.displayName })}
          {session.lessonTitle && ` · ${session.lessonTitle}`}
        </span>
        {showClassrooms && (
          <span className="session-item-rooms" data-testid="session-classrooms">
            {session.classrooms.length === 0
              ? t('schedule.noClassrooms')
              : session.classrooms.map((room) => `${room.schoolName} · ${room.classroomName}`).join('、')}
          </span>
        )}
      </div>
      <SessionStatusTag status={session.status} />
      {(actions || hasRecordingLink(session)) && (
        <div className="session-item-actions">
          <SessionRecordingLink session={session} />
          {actions}
        </div>
      )}
    </li>
  );
}

interface ListProps {
  sessions: ClassSessionDto[];
  /** The zone that decides which day a session is on. */
  timeZone: string;
  /** The days to show, in order; days without sessions are left out. */
  days: string[];
  itemTestId: string;
  showClassrooms?: boolean;
  renderActions?: (session: ClassSessionDto) => ReactNode;
}

/** Sessions under one heading per day. */
export function SessionsByDay({ sessions, timeZone, days, itemTestId, showClassrooms, renderActions }: ListProps) {
  const format = useFormat();
  const byDay = groupByDay(sessions, timeZone);
  return (
    <div className="day-groups">
      {days
        .filter((day) => byDay.has(day))
        .map((day) => (
          <section key={day} className="day-group" data-testid="schedule-day" data-date={day}>
            <h3>{format.day(day)}</h3>
            <ul className="session-list">
              {byDay.get(day)?.map((session) => (
                <SessionItem
                  key={session.id}
                  session={session}
                  testId={itemTestId}
                  showClassrooms={showClassrooms}
                  actions={renderActions?.(session)}
                />
              ))}
            </ul>
          </section>
        ))}
    </div>
  );
}
