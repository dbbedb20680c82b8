import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCreateCourse, useMyCourses } from '../api/catalogue';
import { useCurrentUser } from '../auth/session';
import { CourseForm, EMPTY_COURSE } from '../components/CourseForm';
import { PagedList } from '../components/PagedList';
import { useFormat } from '../lib/format';
import { parsePage } from '../lib/params';

const PAGE_SIZE = 20;

function NewCourse({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const create = useCreateCourse();
  return (
    <section className="card">
      <h2>{t('myCourses.createTitle')}</h2>
      <CourseForm
        initial={EMPTY_COURSE}
        chooseTeacher={user?.role === 'admin'}
        pending={create.isPending}
        error={create.error}
        onSubmit={(request) =>
          create.mutate(request, { onSuccess: (course) => void navigate(`/my/courses/${course.id}`) })
        }
        onCancel={onClose}
      />
    </section>
  );
}

export function MyCoursesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const courses = useMyCourses(page, PAGE_SIZE);
  const [creating, setCreating] = useState(false);

  return (
    <section>
      <title>{`${t('myCourses.title')} · ${t('app.name')}`}</title>
      <div className="page-heading">
        <h1>{t('myCourses.title')}</h1>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)} data-testid="new-course-button">
            {t('myCourses.newCourse')}
          </button>
        )}
      </div>
      {creating && <NewCourse onClose={() => setCreating(false)} />}
      <PagedList
        query={courses}
        total={{ testId: 'course-total', text: (count) => t('catalogue.total', { count }) }}
        empty={t('myCourses.empty')}
        emptyAlone
        columns={[
          t('courseForm.title'),
          t('courseForm.subject'),
          t('courseForm.grade'),
          t('courseForm.status'),
          t('course.lessons'),
          t('course.teacher'),
          t('common.actions'),
        ]}
        onPage={(next) => setParams({ page: String(next) })}
      >
        {(course) => (
          <tr key={course.id} data-testid="my-course-row">
            <td>
              <Link to={`/my/courses/${course.id}`}>{course.title}</Link>
            </td>
            <td>{format.name(course.subject)}</td>
            <td>{format.name(course.grade)}</td>
            <td>
              <span className={`tag tag-${course.status}`}>{t(`status.${course.status}`)}</span>
            </td>
            <td>{course.lessonCount}</td>
            <td>{course.teacher.displayName}</td>
            <td className="actions">
              <Link to={`/my/courses/${course.id}`}>{t('myCourses.edit')}</Link>
              <Link to={`/courses/${course.id}`}>{t('myCourses.view')}</Link>
            </td>
          </tr>
        )}
      </PagedList>
    </section>
  );
}
