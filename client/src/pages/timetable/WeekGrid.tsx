import { useTranslation } from 'react-i18next';
import type { ClassSessionDto } from '@contracts/api';
import { useFormat } from '../../lib/format';
import { groupByDay } from '../../lib/schedule';
import { isoWeekday, localMinutes, today, weekDates } from '../../lib/time';

const DAY_START = 7 * 60;
const DAY_END = 18 * 60;
const HOURS = Array.from({ length: (DAY_END - DAY_START) / 60 }, (_, index) => DAY_START / 60 + index);
/** Height of an hour; styles.css draws the hour lines with the same figure (--hour). */
const HOUR_REM = 5;
/** A block is never drawn shorter than this, so a short (or clipped) session stays clickable. */
const MIN_MINUTES = 25;

interface Placed {
  session: ClassSessionDto;
  top: number;
  height: number;
  lane: number;
  lanes: number;
}

/**
 * Positions a day's sessions in the 07:00–18:00 column. Overlapping sessions (one teacher can't, two can) share
 * the width side by side; sessions outside the hours are pinned to the nearest edge.
 */
function placeDay(sessions: ClassSessionDto[], timeZone: string): Placed[] {
  const items = sessions.map((session) => {
    const start = localMinutes(session.startsAt, timeZone);
    const length = Math.max(0, (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000);
    const top = Math.min(Math.max(start, DAY_START), DAY_END - MIN_MINUTES);
    const bottom = Math.max(Math.min(start + length, DAY_END), top + MIN_MINUTES);
    return { session, top, bottom, lane: 0 };
  });
  const placed: Placed[] = [];
  let cluster: typeof items = [];
  let laneEnds: number[] = [];
  const flush = () => {
    for (const item of cluster) {
      placed.push({
        session: item.session,
        top: item.top - DAY_START,
        height: item.bottom - item.top,
        lane: item.lane,
        lanes: laneEnds.length,
      });
    }
    cluster = [];
    laneEnds = [];
  };
  for (const item of items) {
    if (cluster.length > 0 && item.top >= Math.max(...laneEnds)) flush();
    const free = laneEnds.findIndex((end) => end <= item.top);
    item.lane = free === -1 ? laneEnds.length : free;
    laneEnds[item.lane] = item.bottom;
    cluster.push(item);
  }
  flush();
  return placed;
}

interface Props {
  monday: string;
  sessions: ClassSessionDto[];
  timeZone: string;
  selectedId: number | undefined;
  onSelect: (session: ClassSessionDto) => void;
}

/** Monday to Sunday, 07:00 to 18:00, one block per session. */
export function WeekGrid({ monday, sessions, timeZone, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const days = weekDates(monday);
  const byDay = groupByDay(sessions, timeZone);
  const now = today(timeZone);
  const span = DAY_END - DAY_START;

  return (
    <div className="timetable" data-testid="timetable-week" data-week={monday}>
      <div className="timetable-row timetable-head">
        <div className="timetable-corner" />
        {days.map((day) => (
          <div key={day} className={day === now ? 'timetable-day-head today' : 'timetable-day-head'}>
            <span>{format.weekday(isoWeekday(day))}</span>
            <span className="timetable-date">{format.day(day, false)}</span>
          </div>
        ))}
      </div>
      <div className="timetable-row timetable-body" style={{ height: `${HOURS.length * HOUR_REM}rem` }}>
        <div className="timetable-hours" aria-hidden="true">
          {HOURS.map((hour) => (
            <div key={hour} className="timetable-hour">
              {`${String(hour).padStart(2, '0')}:00`}
            </div>
          ))}
        </div>
        {days.map((day) => (
          <div key={day} className="timetable-day" data-date={day}>
            {placeDay(byDay.get(day) ?? [], timeZone).map(({ session, top, height, lane, lanes }) => (
              <button
                type="button"
                key={session.id}
                className={[
                  'session-block',
                  `session-${session.status}`,
                  session.id === selectedId ? 'selected' : '',
                ].join(' ')}
                style={{
                  top: `${(top / span) * 100}%`,
                  height: `${(height / span) * 100}%`,
                  left: `${(lane / lanes) * 100}%`,
                  width: `${100 / lanes}%`,
                }}
                title={[
                  `${format.time(session.startsAt, timeZone)}–${format.time(session.endsAt, timeZone)}`,
                  session.title,
                  session.teacher.displayName,
                  t('schedule.classroomCount', { count: session.classrooms.length }),
                  t(`sessionStatus.${session.status}`),
                ].join(' · ')}
                onClick={() => onSelect(session)}
                aria-pressed={session.id === selectedId}
                data-testid="session-block"
                data-session-id={session.id}
              >
                <span className="session-block-line">
                  <span className="session-block-time">
                    {format.time(session.startsAt, timeZone)}–{format.time(session.endsAt, timeZone)}
                  </span>{' '}
                  <span className="session-block-status">{t(`sessionStatus.${session.status}`)}</span>
                </span>
                <strong className="session-block-title">{session.title}</strong>
                <span className="session-block-line">
                  {session.teacher.displayName} · {t('schedule.classroomCount', { count: session.classrooms.length })}
                </span>
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
