import type { LessonDto, ResourceDto } from '@contracts/api';

export interface ResourceGroup {
  key: string;
  lesson: LessonDto | null;
  resources: ResourceDto[];
}

/** Whole-course resources first, then one group per lesson in lesson order; empty groups are dropped. */
export function groupResources(resources: ResourceDto[], lessons: LessonDto[]): ResourceGroup[] {
  const lessonIds = new Set(lessons.map((lesson) => lesson.id));
  const groups: ResourceGroup[] = [
    {
      key: 'course',
      lesson: null,
      resources: resources.filter((resource) => resource.lessonId === null || !lessonIds.has(resource.lessonId)),
    },
    ...lessons.map((lesson) => ({
      key: `lesson-${lesson.id}`,
      lesson,
      resources: resources.filter((resource) => resource.lessonId === lesson.id),
    })),
  ];
  return groups.filter((group) => group.resources.length > 0);
}
