import { useTranslation } from 'react-i18next';
import type { ClassSessionDto } from '@contracts/api';
import { useSchools } from '../../api/admin';
import { useSessions } from '../../api/scheduling';
import { QueryView } from '../../components/QueryView';
import { SchoolSelect } from '../../components/SchoolSelect';
import { WeekNav } from '../../components/WeekNav';
import { parseId, useFilterParams } from '../../lib/params';
import { schoolZone, useWeekParam } from '../../lib/schedule';
import { localDate, mondayOf, today, weekRange } from '../../lib/time';
import { NewSeriesForm } from './NewSeriesForm';
import { NewSessionForm } from './NewSessionForm';
import { SessionPanel } from './SessionPanel';
import { WeekGrid } from './WeekGrid';

/** The admin's week: every session as a block, a panel for the chosen one, forms to schedule more. */
export function TimetablePage() {
  const { t } = useTranslation();
  const schools = useSchools();
  const schoolList = schools.data ?? [];
  // Filter and selection live in the address with the week: back closes the panel, a link shows the same view.
  const [params, update] = useFilterParams();
  const schoolId = parseId(params.get('schoolId'));
  const sessionId = parseId(params.get('session'));
  const zone = schoolZone(schools.data, schoolId);
  const { monday, setWeek } = useWeekParam(zone);
  const sessions = useSessions({ ...weekRange(monday, zone), ...(schoolId !== undefined ? { schoolId } : {}) });

  const select = (session: ClassSessionDto) => update({ session: session.id });
  const showCreated = (session: ClassSessionDto) =>
    update({ week: mondayOf(localDate(session.startsAt, zone)), session: session.id });

  return (
    <section>
      <title>{`${t('timetable.title')} · ${t('app.name')}`}</title>
      <h1>{t('timetable.title')}</h1>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('timetable.school')}</span>
          <SchoolSelect
            schools={schoolList}
            value={schoolId}
            onChange={(id) => update({ schoolId: id, session: undefined })}
            emptyLabel={t('timetable.allSchools')}
            testId="timetable-school-filter"
          />
        </label>
        <WeekNav monday={monday} onChange={setWeek} thisMonday={mondayOf(today(zone))} />
      </div>
      <p className="muted small">{t('schedule.timesIn', { zone })}</p>
      <div className={sessionId !== undefined ? 'timetable-layout with-panel' : 'timetable-layout'}>
        <div className="timetable-scroll">
          <QueryView query={sessions}>
            {(list) => (
              <>
                <WeekGrid monday={monday} sessions={list} timeZone={zone} selectedId={sessionId} onSelect={select} />
                {list.length === 0 && <p className="empty">{t('schedule.emptyWeek')}</p>}
              </>
            )}
          </QueryView>
        </div>
        {sessionId !== undefined && (
          <SessionPanel
            key={sessionId}
            id={sessionId}
            schools={schoolList}
            defaultSchoolId={schoolId}
            onClose={() => update({ session: undefined })}
          />
        )}
      </div>
      <div className="form-columns">
        <section className="card">
          <h2>{t('timetable.newSession')}</h2>
          <NewSessionForm schools={schoolList} onCreated={showCreated} />
        </section>
        <section className="card">
          <h2>{t('timetable.newSeries')}</h2>
          <NewSeriesForm schools={schoolList} />
        </section>
      </div>
    </section>
  );
}
