import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CourseSummaryDto } from '@contracts/api';
import { useFormat } from '../lib/format';

export function CourseCover({ course }: { course: Pick<CourseSummaryDto, 'coverUrl' | 'title' | 'subject'> }) {
  const { name } = useFormat();
  if (course.coverUrl) return <img className="cover" src={course.coverUrl} alt="" loading="lazy" />;
  return (
    <div className="cover cover-placeholder" aria-hidden="true">
      {name(course.subject)}
    </div>
  );
}

/** A course in a grid: `href` defaults to the public course page. */
export function CourseCard({ course, href }: { course: CourseSummaryDto; href?: string }) {
  const { t } = useTranslation();
  const { name } = useFormat();
  return (
    <article className="card course-card" data-testid="course-card">
      <CourseCover course={course} />
      <div className="course-card-body">
        <h2 className="course-card-title">
          <Link to={href ?? `/courses/${course.id}`}>{course.title}</Link>
        </h2>
        <p className="tags">
          <span className="tag">{name(course.subject)}</span>
          <span className="tag">{name(course.grade)}</span>
          {course.status === 'draft' && <span className="tag tag-draft">{t('status.draft')}</span>}
        </p>
        <p className="muted">{t('catalogue.teacherName', { name: course.teacher.displayName })}</p>
        <p className="muted">{t('catalogue.lessons', { count: course.lessonCount })}</p>
      </div>
    </article>
  );
}
