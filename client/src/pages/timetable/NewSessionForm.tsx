import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassSessionDto, CreateSessionRequest, SchoolDto } from '@contracts/api';
import { useCourse } from '../../api/catalogue';
import { useCreateSession } from '../../api/scheduling';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { parseId } from '../../lib/params';
import { schoolZone } from '../../lib/schedule';
import { DEFAULT_TIMEZONE, today, zonedToUtc } from '../../lib/time';
import { CourseSelect, useSchedulableCourses } from './CourseSelect';
import { isValidSlot, TimeSlotFields } from './TimeSlotFields';

const EMPTY = { courseId: undefined as number | undefined, lessonId: undefined as number | undefined, title: '', start: '08:00', end: '08:45' };

interface Props {
  schools: SchoolDto[];
  /** The new session's week and panel are shown after it is created. */
  onCreated: (session: ClassSessionDto) => void;
}

/** One session of a course, at a local date and time in the teacher's school's zone. */
export function NewSessionForm({ schools, onCreated }: Props) {
  const { t } = useTranslation();
  const courses = useSchedulableCourses();
  const create = useCreateSession();
  const [values, setValues] = useState({ ...EMPTY, date: today(DEFAULT_TIMEZONE) });
  const set = (changes: Partial<typeof values>) => setValues((current) => ({ ...current, ...changes }));
  const course = courses.data?.items.find((candidate) => candidate.id === values.courseId);
  const detail = useCourse(values.courseId ?? 0, values.courseId !== undefined);
  const zone = schoolZone(schools, course?.teacher.schoolId);
  const invalid = !isValidSlot(values);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (values.courseId === undefined || invalid) return;
    const request: CreateSessionRequest = {
      courseId: values.courseId,
      startsAt: zonedToUtc(values.date, values.start, zone),
      endsAt: zonedToUtc(values.date, values.end, zone),
      ...(values.lessonId !== undefined ? { lessonId: values.lessonId } : {}),
      ...(values.title.trim() ? { title: values.title.trim() } : {}),
    };
    create.mutate(request, {
      onSuccess: (session) => {
        setValues((current) => ({ ...current, lessonId: undefined, title: '' }));
        onCreated(session);
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
            onChange={(courseId) => set({ courseId, lessonId: undefined })}
            testId="session-course-select"
          />
        </label>
        <label>
          <span>{t('schedule.lesson')}</span>
          <select
            value={values.lessonId ?? ''}
            onChange={(event) => set({ lessonId: parseId(event.target.value) })}
            disabled={!detail.data}
            data-testid="session-lesson-select"
          >
            <option value="">{t('schedule.noLesson')}</option>
            {detail.data?.lessons.map((lesson) => (
              <option key={lesson.id} value={lesson.id}>
                {t('course.lessonNumber', { n: lesson.position })} · {lesson.title}
              </option>
            ))}
          </select>
        </label>
        <InputField
          label={t('schedule.title')}
          maxLength={200}
          value={values.title}
          placeholder={course?.title}
          onChange={(title) => set({ title })}
          testId="session-title-input"
        />
      </div>
      <TimeSlotFields value={values} onChange={setValues} testIdPrefix="session" />
      <p className="muted small">{t('schedule.timesIn', { zone })}</p>
      {courses.isError && <ErrorMessage error={courses.error} />}
      {create.isError && <ErrorMessage error={create.error} testId="session-create-error" />}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending || invalid} data-testid="session-create">
          {create.isPending ? t('common.saving') : t('timetable.createSession')}
        </button>
      </div>
    </form>
  );
}
