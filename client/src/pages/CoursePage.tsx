import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CourseDetailDto } from '@contracts/api';
import { useCourse } from '../api/catalogue';
import { useCourseResources } from '../api/resources';
import { canManageCourse, canManageResource } from '../auth/permissions';
import { useCurrentUser } from '../auth/session';
import { CourseCover } from '../components/CourseCard';
import { CourseRecordings, useLessonReplays } from '../components/CourseRecordings';
import { Empty, QueryView } from '../components/QueryView';
import { ResourceGroups } from '../components/ResourceItem';
import { useFormat } from '../lib/format';
import { parseId } from '../lib/params';
import { NotFoundPage } from './NotFoundPage';

function CourseView({ course }: { course: CourseDetailDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  const user = useCurrentUser();
  const resources = useCourseResources(course.id);
  const canManage = canManageCourse(user, course);
  // Recordings are for logged-in users only; a visitor of the catalogue doesn't ask.
  const replays = useLessonReplays(course.id, user !== null);

  return (
    <article className="course-page">
      <title>{`${course.title} · ${t('app.name')}`}</title>
      <header className="course-header">
        <CourseCover course={course} />
        <div className="course-header-text">
          <h1 data-testid="course-title">{course.title}</h1>
          <p className="tags">
            <span className="tag">{format.name(course.subject)}</span>
            <span className="tag">{format.name(course.grade)}</span>
            {course.status === 'draft' && <span className="tag tag-draft">{t('status.draft')}</span>}
          </p>
          <p>{t('catalogue.teacherName', { name: course.teacher.displayName })}</p>
          <p className="muted">{t('course.updatedAt', { date: format.date(course.updatedAt) })}</p>
          {canManage && (
            <Link to={`/my/courses/${course.id}`} className="button-link">
              {t('course.edit')}
            </Link>
          )}
        </div>
      </header>

      <section>
        <h2>{t('course.description')}</h2>
        <p className="description">{course.description || t('course.noDescription')}</p>
      </section>

      <section>
        <h2>{t('course.lessons')}</h2>
        {course.lessons.length === 0 ? (
          <Empty>{t('course.noLessons')}</Empty>
        ) : (
          <ol className="lesson-list">
            {course.lessons.map((lesson, index) => {
              const replay = replays.get(lesson.id);
              return (
                <li key={lesson.id} className="lesson-item" data-testid="lesson-item">
                  <span className="lesson-number">{t('course.lessonNumber', { n: index + 1 })}</span>
                  <span className="lesson-title">{lesson.title}</span>
                  {lesson.durationMinutes > 0 && (
                    <span className="muted">{t('course.minutes', { count: lesson.durationMinutes })}</span>
                  )}
                  {replay && (
                    <Link
                      to={`/recordings/${replay.id}`}
                      className="lesson-replay"
                      data-testid="lesson-replay"
                      data-lesson-id={lesson.id}
                    >
                      {t('recording.replay')}
                    </Link>
                  )}
                  {lesson.summary && <p className="lesson-summary">{lesson.summary}</p>}
                </li>
              );
            })}
          </ol>
        )}
      </section>

      {user !== null && <CourseRecordings courseId={course.id} />}

      <section>
        <h2>{t('course.resources')}</h2>
        <QueryView query={resources}>
          {(list) => (
            <ResourceGroups
              resources={list}
              lessons={course.lessons}
              showHistory={(resource) => canManageResource(user, course, resource)}
            />
          )}
        </QueryView>
      </section>
    </article>
  );
}

export function CoursePage() {
  const id = parseId(useParams().id);
  if (id === undefined) return <NotFoundPage />;
  return <CourseLoader id={id} />;
}

function CourseLoader({ id }: { id: number }) {
  const course = useCourse(id);
  return <QueryView query={course}>{(data) => <CourseView course={data} />}</QueryView>;
}
