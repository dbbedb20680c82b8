import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ClassSessionDto, UserDto } from '@contracts/api';
import { useSchools } from '../api/admin';
import { scheduleKeys, useSessions } from '../api/scheduling';
import { useCurrentUser } from '../auth/session';
import { CalendarFeed } from '../components/CalendarFeed';
import { ErrorMessage } from '../components/ErrorMessage';
import { Empty, QueryView } from '../components/QueryView';
import { RecordToggle } from '../components/RecordToggle';
import { SessionsByDay } from '../components/SessionList';
import { WeekNav } from '../components/WeekNav';
import { useFormat } from '../lib/format';
import { schoolZone, useNow, useWeekParam } from '../lib/schedule';
import { addDays, localDate, mondayOf, today, weekDates, weekRange } from '../lib/time';
import { startClass } from '../live/signaling';

/** Two weeks at a time: this week and the next, so Friday's teacher sees Monday's classes. */
const WEEKS = 2;

/**
 * Opens the class (the booked classrooms are told at once) and enters it. Only today's scheduled or live classes
 * can be started; the server also keeps to its window before the start, and says so when refused.
 */
function StartClassButton({ session, now }: { session: ClassSessionDto; now: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => startClass(session.id),
    onSuccess: async () => {
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
      await navigate(`/live/${session.id}`);
    },
  });
  const isToday = localDate(session.startsAt, session.timezone) === localDate(new Date(now), session.timezone);
  const startable = isToday && (session.status === 'scheduled' || session.status === 'live');
  return (
    <>
      <button
        type="button"
        data-testid="start-class"
        data-session-id={session.id}
        disabled={!startable || start.isPending}
        onClick={() => start.mutate()}
      >
        {start.isPending ? t('mySchedule.starting') : session.status === 'live' ? t('mySchedule.enterClass') : t('mySchedule.startClass')}
      </button>
      {start.isError && (
        <ErrorMessage
          error={start.error}
          testId="start-class-error"
          overrides={{ 409: t('mySchedule.notStartable') }}
        />
      )}
    </>
  );
}

function Schedule({ user }: { user: UserDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  const schools = useSchools();
  const zone = schoolZone(schools.data, user.schoolId);
  const { monday, setWeek } = useWeekParam(zone);
  const thisMonday = mondayOf(today(zone));
  const sessions = useSessions({ ...weekRange(monday, zone, WEEKS), teacherId: user.id });
  const weeks = Array.from({ length: WEEKS }, (_, index) => addDays(monday, 7 * index));
  // Which day is today moves at midnight; a minute's precision is plenty for the start buttons.
  const now = useNow(60_000);

  const weekTitle = (start: string) => {
    if (start === thisMonday) return t('schedule.thisWeek');
    if (start === addDays(thisMonday, 7)) return t('schedule.nextWeekTitle');
    return null;
  };

  return (
    <>
      <div className="toolbar">
        <WeekNav monday={monday} onChange={setWeek} thisMonday={thisMonday} weeks={WEEKS} />
      </div>
      <p className="muted small">{t('schedule.timesIn', { zone })}</p>
      <QueryView query={sessions}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('mySchedule.empty')}</Empty>
          ) : (
            weeks.map((start) => {
              const days = weekDates(start);
              const title = weekTitle(start);
              const inWeek = list.filter((session) => days.includes(localDate(session.startsAt, zone)));
              return (
                <section key={start} className="card" data-testid="schedule-week" data-week={start}>
                  <h2>
                    {title ?? t('schedule.weekOf')}{' '}
                    <span className="muted small">
                      {t('schedule.weekRange', { from: format.day(days[0], false), to: format.day(days[6], false) })}
                    </span>
                  </h2>
                  {inWeek.length === 0 ? (
                    <Empty>{t('schedule.emptyWeek')}</Empty>
                  ) : (
                    <SessionsByDay
                      sessions={inWeek}
                      timeZone={zone}
                      days={days}
                      itemTestId="schedule-session"
                      showClassrooms
                      renderActions={(session) => (
                        <>
                          <StartClassButton session={session} now={now} />
                          {session.status === 'scheduled' && <RecordToggle session={session} />}
                        </>
                      )}
                    />
                  )}
                </section>
              );
            })
          )
        }
      </QueryView>
      <CalendarFeed owner="teachers" id={user.id} canRotate />
    </>
  );
}

export function MySchedulePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <section>
      <title>{`${t('mySchedule.title')} · ${t('app.name')}`}</title>
      <h1>{t('mySchedule.title')}</h1>
      {user && <Schedule user={user} />}
    </section>
  );
}
