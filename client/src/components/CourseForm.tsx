import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { COURSE_STATUSES, type CourseStatus, type CreateCourseRequest } from '@contracts/api';
import { useUsers } from '../api/admin';
import { useGrades, useSubjects } from '../api/catalogue';
import { ErrorMessage } from './ErrorMessage';
import { ReferenceSelect } from './ReferenceSelect';

export interface CourseFormValues {
  title: string;
  description: string;
  subjectId: number | null;
  gradeId: number | null;
  status: CourseStatus;
}

export const EMPTY_COURSE: CourseFormValues = {
  title: '',
  description: '',
  subjectId: null,
  gradeId: null,
  status: 'draft',
};

interface Props {
  initial: CourseFormValues;
  /** Admins create a course on behalf of a teacher. */
  chooseTeacher?: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (request: CreateCourseRequest) => void;
  onCancel?: () => void;
}

function toId(value: string): number | null {
  return value === '' ? null : Number(value);
}

/** Course fields for both "new course" and the editor. */
export function CourseForm({ initial, chooseTeacher = false, pending, error, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const subjects = useSubjects();
  const grades = useGrades();
  const teachers = useUsers({ role: 'teacher', page: 1, pageSize: 100 }, chooseTeacher);
  const [values, setValues] = useState(initial);
  const [teacherId, setTeacherId] = useState<number | null>(null);
  const set = (changes: Partial<CourseFormValues>) => setValues((current) => ({ ...current, ...changes }));

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (values.subjectId === null || values.gradeId === null) return;
    onSubmit({
      title: values.title.trim(),
      description: values.description.trim(),
      subjectId: values.subjectId,
      gradeId: values.gradeId,
      status: values.status,
      ...(chooseTeacher && teacherId !== null ? { teacherId } : {}),
    });
  };

  return (
    <form className="form" onSubmit={submit}>
      <label>
        <span>{t('courseForm.title')}</span>
        <input
          required
          maxLength={200}
          value={values.title}
          onChange={(event) => set({ title: event.target.value })}
          data-testid="course-title-input"
        />
      </label>
      <label>
        <span>{t('courseForm.description')}</span>
        <textarea
          rows={4}
          maxLength={5000}
          value={values.description}
          onChange={(event) => set({ description: event.target.value })}
          data-testid="course-description-input"
        />
      </label>
      <div className="form-row">
        <label>
          <span>{t('courseForm.subject')}</span>
          <ReferenceSelect
            required
            items={subjects.data}
            value={values.subjectId}
            onChange={(subjectId) => set({ subjectId })}
            emptyLabel={t('common.choose')}
            testId="course-subject-select"
          />
        </label>
        <label>
          <span>{t('courseForm.grade')}</span>
          <ReferenceSelect
            required
            items={grades.data}
            value={values.gradeId}
            onChange={(gradeId) => set({ gradeId })}
            emptyLabel={t('common.choose')}
            testId="course-grade-select"
          />
        </label>
        <label>
          <span>{t('courseForm.status')}</span>
          <select
            value={values.status}
            onChange={(event) => set({ status: event.target.value as CourseStatus })}
            data-testid="course-status-select"
          >
            {COURSE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        {chooseTeacher && (
          <label>
            <span>{t('myCourses.teacherForAdmin')}</span>
            <select
              value={teacherId ?? ''}
              onChange={(event) => setTeacherId(toId(event.target.value))}
              data-testid="course-teacher-select"
            >
              <option value="">{t('common.choose')}</option>
              {teachers.data?.items.map((teacher) => (
                <option key={teacher.id} value={teacher.id}>
                  {teacher.displayName} ({teacher.email})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {Boolean(error) && <ErrorMessage error={error} testId="course-error" />}
      <div className="form-actions">
        <button type="submit" disabled={pending} data-testid="course-save">
          {pending ? t('common.saving') : t('common.save')}
        </button>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
