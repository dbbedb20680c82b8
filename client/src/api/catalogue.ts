import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CourseDetailDto,
  CourseQuery,
  CourseSummaryDto,
  CreateCourseRequest,
  CreateLessonRequest,
  GradeDto,
  LessonDto,
  Page,
  ReorderLessonsRequest,
  SubjectDto,
  UpdateCourseRequest,
  UpdateLessonRequest,
} from '@contracts/api';
import { apiRequest, uploadForm, withQuery } from './http';

export const catalogueKeys = {
  subjects: ['subjects'] as const,
  grades: ['grades'] as const,
  courses: ['courses'] as const,
  list: (query: CourseQuery) => ['courses', 'list', query] as const,
  mine: (page: number, pageSize: number) => ['courses', 'mine', page, pageSize] as const,
  detail: (id: number) => ['courses', 'detail', id] as const,
};

/** Reference data: changes with a deployment, not during a visit. */
export function useSubjects() {
  return useQuery({
    queryKey: catalogueKeys.subjects,
    queryFn: () => apiRequest<SubjectDto[]>('/api/subjects'),
    staleTime: Infinity,
  });
}

export function useGrades() {
  return useQuery({
    queryKey: catalogueKeys.grades,
    queryFn: () => apiRequest<GradeDto[]>('/api/grades'),
    staleTime: Infinity,
  });
}

export function useCourses(query: CourseQuery) {
  return useQuery({
    queryKey: catalogueKeys.list(query),
    queryFn: ({ signal }) => apiRequest<Page<CourseSummaryDto>>(withQuery('/api/courses', { ...query }), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useMyCourses(page: number, pageSize: number) {
  return useQuery({
    queryKey: catalogueKeys.mine(page, pageSize),
    queryFn: () => apiRequest<Page<CourseSummaryDto>>(withQuery('/api/courses/mine', { page, pageSize })),
    placeholderData: keepPreviousData,
  });
}

export function useCourse(id: number, enabled = true) {
  return useQuery({
    queryKey: catalogueKeys.detail(id),
    queryFn: () => apiRequest<CourseDetailDto>(`/api/courses/${id}`),
    enabled,
  });
}

/** After any change to a course, its detail is replaced and every list that may show it is refetched. */
function useCourseCacheUpdate() {
  const queryClient = useQueryClient();
  return (course?: CourseDetailDto) => {
    if (course) queryClient.setQueryData(catalogueKeys.detail(course.id), course);
    return queryClient.invalidateQueries({ queryKey: catalogueKeys.courses });
  };
}

export function useCreateCourse() {
  const update = useCourseCacheUpdate();
  return useMutation({
    mutationFn: (request: CreateCourseRequest) =>
      apiRequest<CourseDetailDto>('/api/courses', { method: 'POST', body: request }),
    onSuccess: (course) => update(course),
  });
}

export function useUpdateCourse(id: number) {
  const update = useCourseCacheUpdate();
  return useMutation({
    mutationFn: (request: UpdateCourseRequest) =>
      apiRequest<CourseDetailDto>(`/api/courses/${id}`, { method: 'PATCH', body: request }),
    onSuccess: (course) => update(course),
  });
}

/** Archive (`true`) or restore (`false`) a course: archived, it leaves the catalogue and takes no new classes. */
export function useArchiveCourse(id: number) {
  const update = useCourseCacheUpdate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (archived: boolean) => apiRequest<CourseDetailDto>(`/api/courses/${id}/${archived ? 'archive' : 'restore'}`, { method: 'POST' }),
    onSuccess: (course) => {
      update(course);
      return queryClient.invalidateQueries({ queryKey: catalogueKeys.courses });
    },
  });
}

export function useDeleteCourse(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<undefined>(`/api/courses/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: catalogueKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: catalogueKeys.courses });
    },
  });
}

export function useUploadCover(id: number) {
  const update = useCourseCacheUpdate();
  return useMutation({
    // The server answers `{ coverUrl }` here, not the course (the contract declares no type for it).
    mutationFn: ({ file, onProgress }: { file: File; onProgress?: (percent: number) => void }) => {
      const form = new FormData();
      form.append('file', file);
      return uploadForm<Pick<CourseSummaryDto, 'coverUrl'>>(`/api/courses/${id}/cover`, form, { method: 'PUT', onProgress });
    },
    onSuccess: () => update(),
  });
}

/** Lesson changes come back as lessons; the course detail is refetched to pick up order and count. */
function useLessonMutation<TVariables, TResult>(mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogueKeys.courses }),
  });
}

export function useAddLesson(courseId: number) {
  return useLessonMutation((request: CreateLessonRequest) =>
    apiRequest<LessonDto>(`/api/courses/${courseId}/lessons`, { method: 'POST', body: request }),
  );
}

export function useUpdateLesson() {
  return useLessonMutation(({ id, ...request }: UpdateLessonRequest & { id: number }) =>
    apiRequest<LessonDto>(`/api/lessons/${id}`, { method: 'PATCH', body: request }),
  );
}

export function useDeleteLesson() {
  return useLessonMutation((id: number) => apiRequest<undefined>(`/api/lessons/${id}`, { method: 'DELETE' }));
}

export function useReorderLessons(courseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ReorderLessonsRequest) =>
      apiRequest<LessonDto[]>(`/api/courses/${courseId}/lessons/order`, { method: 'PUT', body: request }),
    onSuccess: (lessons) => {
      queryClient.setQueryData<CourseDetailDto>(catalogueKeys.detail(courseId), (course) =>
        course ? { ...course, lessons } : course,
      );
      return queryClient.invalidateQueries({ queryKey: catalogueKeys.courses });
    },
  });
}
