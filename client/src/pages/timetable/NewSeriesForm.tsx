import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateSeriesRequest, IsoWeekday, SchoolDto, SeriesResultDto } from '@contracts/api';
import { useClassrooms } from '../../api/admin';
import { useCreateSeries } from '../../api/scheduling';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { SchoolSelect } from '../../components/SchoolSelect';
import { UnfitBookings } from '../../components/UnfitBookings';
import { useFormat } from '../../lib/format';
import { parseDateList, schoolZone } from '../../lib/schedule';
import { addDays, DEFAULT_TIMEZONE, today } from '../../lib/time';
import { CourseSelect, useSchedulableCourses } from './CourseSelect';
import { isValidSlot, TimeSlotFields } from './TimeSlotFields';

const WEEKDAYS: IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

function initialValues() {
  const start = today(DEFAULT_TIMEZONE);
  return {
    courseId: undefined as number | undefined,
    title: '',
    weekdays: [] as IsoWeekday[],
    period: { start: '08:00', end: '08:45' },
    termStart: start,
    termEnd: addDays(start, 7 * 18),
    holidays: '',
    classroomIds: [] as number[],
  };
}

/** Checkboxes for the classrooms of one school at a time; choices in other schools are kept. */
function ClassroomPicker({
  schools,
  selected,
  onChange,
}: {
  schools: SchoolDto[];
  selected: number[];
  onChange: (classroomIds: number[]) => void;
}) {
  const { t } = useTranslation();
  const [chosenSchool, setChosenSchool] = useState<number | undefined>();
  const schoolId = chosenSchool ?? schools[0]?.id;
  const classrooms = useClassrooms(schoolId ?? 0, schoolId !== undefined);
  const toggle = (id: number, on: boolean) =>
    onChange(on ? [...selected, id] : selected.filter((candidate) => candidate !== id));

  return (
    <fieldset className="fieldset">
      <legend>{t('timetable.seriesClassrooms')}</legend>
      <label className="inline-field">
        <span>{t('timetable.bookSchool')}</span>
        <SchoolSelect schools={schools} value={schoolId} onChange={setChosenSchool} testId="series-school-select" />
      </label>
      <div className="checkbox-list">
        {classrooms.data?.map((room) => (
          <label key={room.id} className="checkbox">
            <input
              type="checkbox"
              checked={selected.includes(room.id)}
              onChange={(event) => toggle(room.id, event.target.checked)}
              data-testid="series-classroom"
              data-classroom-id={room.id}
            />
            {room.name}
          </label>
        ))}
      </div>
      <p className="muted small">{t('timetable.classroomsChosen', { count: selected.length })}</p>
    </fieldset>
  );
}

function SeriesResult({ result }: { result: SeriesResultDto }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="alert alert-success" role="status" data-testid="series-created">
        {t('timetable.seriesCreated', { count: result.series.sessionCount })}
      </p>
      <UnfitBookings bookings={result.unfitBookings} timeZone={result.series.timezone} />
    </>
  );
}

/** A course every week on some weekdays over a term, skipping holidays, optionally with rooms booked throughout. */
export function NewSeriesForm({ schools }: { schools: SchoolDto[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const courses = useSchedulableCourses();
  const create = useCreateSeries();
  const [values, setValues] = useState(initialValues);
  const [tried, setTried] = useState(false);
  const set = (changes: Partial<typeof values>) => setValues((current) => ({ ...current, ...changes }));
  const course = courses.data?.items.find((candidate) => candidate.id === values.courseId);
  const zone = schoolZone(schools, course?.teacher.schoolId);
  const holidays = parseDateList(values.holidays);
  const problems = [
    values.weekdays.length === 0 && t('timetable.noWeekday'),
    values.termEnd < values.termStart && t('timetable.termEndBeforeStart'),
    holidays.invalid.length > 0 && t('timetable.badHolidays', { dates: holidays.invalid.join(', ') }),
  ].filter((problem): problem is string => Boolean(problem));

  const toggleWeekday = (day: IsoWeekday, on: boolean) =>
    set({ weekdays: on ? [...values.weekdays, day].sort((a, b) => a - b) : values.weekdays.filter((candidate) => candidate !== day) });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (values.courseId === undefined || problems.length > 0 || !isValidSlot(values.period)) return;
    const request: CreateSeriesRequest = {
      courseId: values.courseId,
      weekdays: values.weekdays,
      periodStart: values.period.start,
      periodEnd: values.period.end,
      termStart: values.termStart,
      termEnd: values.termEnd,
      holidays: holidays.dates,
      ...(values.title.trim() ? { title: values.title.trim() } : {}),
      ...(values.classroomIds.length > 0 ? { classroomIds: values.classroomIds } : {}),
    };
    create.mutate(request, {
      onSuccess: () => {
        setTried(false);
        setValues(initialValues());
      },
    });
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label>
          <span>{t('schedule.course')}</span>
          <CourseSelect
            courses={courses.data?.items ?? []}
            value={values.courseId}
            onChange={(courseId) => set({ courseId })}
            testId="series-course-select"
          />
        </label>
        <InputField
          label={t('schedule.title')}
          maxLength={200}
          value={values.title}
          placeholder={course?.title}
          onChange={(title) => set({ title })}
          testId="series-title-input"
        />
      </div>
      <fieldset className="fieldset">
        <legend>{t('timetable.weekdays')}</legend>
        <div className="checkbox-list">
          {WEEKDAYS.map((day) => (
            <label key={day} className="checkbox">
              <input
                type="checkbox"
                checked={values.weekdays.includes(day)}
                onChange={(event) => toggleWeekday(day, event.target.checked)}
                data-testid={`series-weekday-${day}`}
              />
              {format.weekday(day)}
            </label>
          ))}
        </div>
      </fieldset>
      <TimeSlotFields
        value={values.period}
        onChange={(period) => set({ period })}
        testIdPrefix="series-period"
        startLabel={t('timetable.periodStart')}
        endLabel={t('timetable.periodEnd')}
      />
      <div className="form-row">
        <InputField
          label={t('timetable.termStart')}
          type="date"
          required
          value={values.termStart}
          onChange={(termStart) => set({ termStart })}
          testId="series-term-start"
        />
        <InputField
          label={t('timetable.termEnd')}
          type="date"
          required
          value={values.termEnd}
          onChange={(termEnd) => set({ termEnd })}
          testId="series-term-end"
        />
      </div>
      <InputField
        label={t('timetable.holidays')}
        value={values.holidays}
        placeholder="2025-10-01, 2025-10-02"
        onChange={(holidays) => set({ holidays })}
        testId="series-holidays"
      />
      <ClassroomPicker
        schools={schools}
        selected={values.classroomIds}
        onChange={(classroomIds) => set({ classroomIds })}
      />
      <p className="muted small">{t('schedule.timesIn', { zone })}</p>
      {tried && problems.length > 0 && (
        <ul className="field-error" data-testid="series-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {create.isError && <ErrorMessage error={create.error} testId="series-create-error" />}
      {create.isSuccess && <SeriesResult result={create.data} />}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending} data-testid="series-create">
          {create.isPending ? t('common.saving') : t('timetable.createSeries')}
        </button>
      </div>
    </form>
  );
}
