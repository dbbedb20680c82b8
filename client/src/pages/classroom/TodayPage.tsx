import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ClassroomDto, ClassSessionDto } from '@contracts/api';
import { useSchools } from '../../api/admin';
import { useMyClassroom, useSessions } from '../../api/scheduling';
import { CalendarFeed } from '../../components/CalendarFeed';
import { Empty, QueryView } from '../../components/QueryView';
import { SessionItem, SessionsByDay } from '../../components/SessionList';
import { SessionRecordingLink } from '../../components/SessionRecordingLink';
import { useFormat } from '../../lib/format';
import { isHappening, schoolZone, splitDuration, useNow } from '../../lib/schedule';
import { localDate, mondayOf, weekDates, weekRange } from '../../lib/time';
import { useLiveSessionEvents, type LiveSessionEvents } from '../../live/useLiveSessionEvents';

/** Sessions are re-read this often, so a class that goes live (or is moved) shows without a reload. */
const REFRESH_MS = 30_000;

/** The class in progress, else the next one to start; cancelled and ended ones are passed over. */
function nextSession(sessions: ClassSessionDto[], now: number): ClassSessionDto | undefined {
  return [...sessions]
    .filter((session) => isHappening(session) && session.status !== 'ended' && Date.parse(session.endsAt) > now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
}

function Countdown({ session }: { session: ClassSessionDto }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const remaining = Date.parse(session.startsAt) - now;
  if (session.status === 'live' || remaining <= 0) {
    return (
      <p className="countdown countdown-now" data-testid="today-countdown" data-remaining="0">
        {t('today.inProgress')}
      </p>
    );
  }
  const { days, clock } = splitDuration(remaining);
  return (
    <p className="countdown" data-testid="today-countdown" data-remaining={Math.ceil(remaining / 1000)}>
      <span className="countdown-label">{t('today.startsIn')}</span>
      <span className="countdown-clock" role="timer">
        {days > 0 ? t('today.daysAndClock', { count: days, clock }) : clock}
      </span>
    </p>
  );
}

interface Joinable {
  sessionId: number;
  title: string;
  /** Its recording, once the schedule read after the start says there is one (for "watch live with rewind"). */
  recordingId: number | null;
}

/**
 * The classes to enter now: today's sessions the schedule says are live, and those the server announced live since
 * the page opened (before the schedule is read again); minus those announced ended.
 */
function joinableSessions(all: ClassSessionDto[], todays: ClassSessionDto[], events: LiveSessionEvents): Joinable[] {
  const joinable = new Map<number, Joinable>();
  const recordingOf = (id: number) => all.find((session) => session.id === id)?.recordingId ?? null;
  for (const session of todays) {
    if (session.status === 'live') {
      joinable.set(session.id, { sessionId: session.id, title: session.title, recordingId: session.recordingId });
    }
  }
  for (const event of events.live) {
    joinable.set(event.sessionId, { sessionId: event.sessionId, title: event.title, recordingId: event.recordingId ?? recordingOf(event.sessionId) });
  }
  for (const id of events.ended) joinable.delete(id);
  // An ended class never starts again, whatever an older announcement said.
  for (const session of all) {
    if (session.status === 'ended' || session.status === 'cancelled') joinable.delete(session.id);
  }
  return [...joinable.values()];
}

function JoinButtons({ sessions }: { sessions: Joinable[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (sessions.length === 0) {
    return (
      <div className="join-placeholder" data-testid="join-placeholder">
        {t('today.joinPlaceholder')}
      </div>
    );
  }
  return (
    <div className="join-area">
      {sessions.map((session) => (
        <div key={session.sessionId} className="join-item">
          <p className="join-title">{t('today.liveNow', { title: session.title })}</p>
          <button
            type="button"
            className="button-large"
            data-testid="join-class"
            data-session-id={session.sessionId}
            onClick={() => void navigate(`/live/${session.sessionId}`)}
          >
            {t('today.join')}
          </button>
          <SessionRecordingLink session={{ id: session.sessionId, status: 'live', recordingId: session.recordingId }} />
        </div>
      ))}
    </div>
  );
}

function NextSession({ session, joinable }: { session: ClassSessionDto | undefined; joinable: Joinable[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="card next-session" data-testid="today-next-session" data-session-id={session?.id}>
      <h2>{t('today.next')}</h2>
      {session ? (
        <>
          <p className="next-title">{session.title}</p>
          <p className="next-time">{format.span(session.startsAt, session.endsAt, session.timezone)}</p>
          <p className="muted">
            {format.name(session.subject)} · {t('schedule.teacher', { name: session.teacher.displayName })}
            {session.lessonTitle && ` · ${session.lessonTitle}`}
          </p>
          <Countdown key={session.id} session={session} />
        </>
      ) : (
        <Empty>{t('today.noNext')}</Empty>
      )}
      <JoinButtons sessions={joinable} />
    </section>
  );
}

function Today({ classroom }: { classroom: ClassroomDto }) {
  const { t } = useTranslation();
  const schools = useSchools();
  const zone = schoolZone(schools.data, classroom.schoolId);
  // Coarse on purpose: it picks the day and the next class; the countdown ticks on its own every second.
  const now = useNow(REFRESH_MS);
  const day = localDate(new Date(now), zone);
  const monday = mondayOf(day);
  // This week and the next: on Friday evening the next class is on Monday.
  const sessions = useSessions(
    { ...weekRange(monday, zone, 2), classroomId: classroom.id },
    { refetchInterval: REFRESH_MS },
  );
  // The server says the moment a class starts or ends; the refetch above is the fallback.
  const liveEvents = useLiveSessionEvents();

  return (
    <>
      <p className="room-name" data-testid="today-classroom">
        <strong>{classroom.name}</strong> <span className="muted">{classroom.schoolName}</span>
      </p>
      <QueryView query={sessions}>
        {(list) => {
          const todays = list
            .filter((session) => localDate(session.startsAt, zone) === day)
            .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
          const days = weekDates(monday);
          const thisWeek = list.filter((session) => days.includes(localDate(session.startsAt, zone)));
          return (
            <>
              <div className="today-columns">
                <NextSession session={nextSession(list, now)} joinable={joinableSessions(list, todays, liveEvents)} />
                <section className="card">
                  <h2>{t('today.todaySessions')}</h2>
                  {todays.length === 0 ? (
                    <Empty>{t('today.noneToday')}</Empty>
                  ) : (
                    <ul className="session-list">
                      {todays.map((session) => (
                        <SessionItem key={session.id} session={session} testId="today-session" />
                      ))}
                    </ul>
                  )}
                </section>
              </div>
              <section className="card">
                <h2>{t('today.week')}</h2>
                {thisWeek.length === 0 ? (
                  <Empty>{t('schedule.emptyWeek')}</Empty>
                ) : (
                  <SessionsByDay sessions={thisWeek} timeZone={zone} days={days} itemTestId="week-session" />
                )}
              </section>
            </>
          );
        }}
      </QueryView>
      <CalendarFeed owner="classrooms" id={classroom.id} />
    </>
  );
}

/** A classroom screen's home: what is on today, a countdown to the next class, and the week. */
export function TodayPage() {
  const { t } = useTranslation();
  const classroom = useMyClassroom();
  return (
    <section className="classroom-today">
      <title>{`${t('today.title')} · ${t('app.name')}`}</title>
      <h1>{t('today.title')}</h1>
      <QueryView query={classroom}>{(room) => <Today classroom={room} />}</QueryView>
    </section>
  );
}
