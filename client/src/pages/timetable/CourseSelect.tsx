import { useTranslation } from 'react-i18next';
import type { CourseSummaryDto } from '@contracts/api';
import { useMyCourses } from '../../api/catalogue';
import { parseId } from '../../lib/params';

/** The API's largest page: an admin sees every course, a teacher her own. */
const COURSE_PAGE_SIZE = 100;

export function useSchedulableCourses() {
  return useMyCourses(1, COURSE_PAGE_SIZE);
}

interface Props {
  courses: CourseSummaryDto[];
  value: number | undefined;
  onChange: (courseId: number | undefined) => void;
  testId: string;
}

/** "Course title · teacher", the course list of /api/courses/mine. */
export function CourseSelect({ courses, value, onChange, testId }: Props) {
  const { t } = useTranslation();
  return (
    <select required value={value ?? ''} onChange={(event) => onChange(parseId(event.target.value))} data-testid={testId}>
      <option value="">{t('common.choose')}</option>
      {courses.map((course) => (
        <option key={course.id} value={course.id}>
          {course.title} · {course.teacher.displayName}
        </option>
      ))}
    </select>
  );
}
