import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BookClassroomRequest,
  CalendarFeedDto,
  CancelSeriesRequest,
  ClassroomDto,
  ClassSessionDto,
  CoverageQuery,
  CoverageReportDto,
  CreateSeriesRequest,
  CreateSessionRequest,
  CurriculumRequirementDto,
  SeriesResultDto,
  SessionChangeResultDto,
  SessionQuery,
  SuggestionDto,
  SuggestionQuery,
  UpdateSeriesRequest,
  UpdateSessionRecordingRequest,
  UpdateSessionRequest,
} from '@contracts/api';
import { apiRequest, withQuery } from './http';

/** Whose calendar feed: a classroom's bookings or a teacher's sessions. */
export type FeedOwner = 'classrooms' | 'teachers';

/**
 * Everything a schedule change can move sits under one root: sessions, the coverage report and suggestions.
 * A booking made on the coverage page must show on the timetable and the other way round.
 */
export const scheduleKeys = {
  all: ['schedule'] as const,
  sessions: (query: SessionQuery) => ['schedule', 'sessions', query] as const,
  session: (id: number) => ['schedule', 'session', id] as const,
  coverage: (query: CoverageQuery) => ['schedule', 'coverage', query] as const,
  suggestions: (query: SuggestionQuery) => ['schedule', 'suggestions', query] as const,
  requirements: ['schedule', 'requirements'] as const,
  myClassroom: ['classrooms', 'mine'] as const,
  feed: (owner: FeedOwner, id: number) => ['calendarFeed', owner, id] as const,
};

export function useSessions(query: SessionQuery, options: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: scheduleKeys.sessions(query),
    queryFn: ({ signal }) => apiRequest<ClassSessionDto[]>(withQuery('/api/sessions', { ...query }), { signal }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval,
  });
}

export function useClassSession(id: number) {
  return useQuery({
    queryKey: scheduleKeys.session(id),
    queryFn: () => apiRequest<ClassSessionDto>(`/api/sessions/${id}`),
  });
}

/** After any change the affected schedule queries are refetched; a returned session replaces its cached copy. */
function useScheduleMutation<TVariables, TResult>(mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (result) => {
      for (const session of changedSessions(result)) queryClient.setQueryData(scheduleKeys.session(session.id), session);
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

function changedSessions(result: unknown): ClassSessionDto[] {
  if (!result || typeof result !== 'object') return [];
  if ('sessions' in result && Array.isArray(result.sessions)) return result.sessions as ClassSessionDto[];
  if ('id' in result && 'startsAt' in result) return [result as ClassSessionDto];
  return [];
}

export function useCreateSession() {
  return useScheduleMutation((request: CreateSessionRequest) =>
    apiRequest<ClassSessionDto>('/api/sessions', { method: 'POST', body: request }),
  );
}

export function useUpdateSession(id: number) {
  return useScheduleMutation((request: UpdateSessionRequest) =>
    apiRequest<SessionChangeResultDto>(`/api/sessions/${id}`, { method: 'PATCH', body: request }),
  );
}

export function useCancelSession(id: number) {
  return useScheduleMutation(() => apiRequest<ClassSessionDto>(`/api/sessions/${id}/cancel`, { method: 'POST' }));
}

/** Whether the class is recorded when it goes live (only before it starts). */
export function useSetSessionRecording(id: number) {
  return useScheduleMutation((request: UpdateSessionRecordingRequest) =>
    apiRequest<ClassSessionDto>(`/api/sessions/${id}/recording`, { method: 'PUT', body: request }),
  );
}

export function useBookClassroom() {
  return useScheduleMutation(({ sessionId, ...request }: BookClassroomRequest & { sessionId: number }) =>
    apiRequest<ClassSessionDto>(`/api/sessions/${sessionId}/classrooms`, { method: 'POST', body: request }),
  );
}

export function useUnbookClassroom(sessionId: number) {
  return useScheduleMutation((classroomId: number) =>
    apiRequest<undefined>(`/api/sessions/${sessionId}/classrooms/${classroomId}`, { method: 'DELETE' }),
  );
}

export function useCreateSeries() {
  return useScheduleMutation((request: CreateSeriesRequest) =>
    apiRequest<SeriesResultDto>('/api/series', { method: 'POST', body: request }),
  );
}

export function useUpdateSeries(seriesId: number) {
  return useScheduleMutation((request: UpdateSeriesRequest) =>
    apiRequest<SessionChangeResultDto>(`/api/series/${seriesId}`, { method: 'PATCH', body: request }),
  );
}

export function useCancelSeries(seriesId: number) {
  return useScheduleMutation((request: CancelSeriesRequest) =>
    apiRequest<SessionChangeResultDto>(`/api/series/${seriesId}/cancel`, { method: 'POST', body: request }),
  );
}

export function useCurriculumRequirements() {
  return useQuery({
    queryKey: scheduleKeys.requirements,
    queryFn: () => apiRequest<CurriculumRequirementDto[]>('/api/curriculum-requirements'),
  });
}

/** Requirements change what the coverage report asks for, so the report is refetched too. */
export function useSaveRequirement() {
  return useScheduleMutation((request: CurriculumRequirementDto) =>
    apiRequest<CurriculumRequirementDto>('/api/curriculum-requirements', { method: 'PUT', body: request }),
  );
}

export function useCoverage(query: CoverageQuery, enabled = true) {
  return useQuery({
    queryKey: scheduleKeys.coverage(query),
    queryFn: ({ signal }) => apiRequest<CoverageReportDto>(withQuery('/api/coverage', { ...query }), { signal }),
    enabled,
  });
}

/** A plain link: the login cookie is accepted on GET, so the browser downloads the file itself. */
export function coverageCsvUrl(query: CoverageQuery): string {
  return withQuery('/api/coverage.csv', { ...query });
}

export function useSuggestions(query: SuggestionQuery | null) {
  return useQuery({
    queryKey: query ? scheduleKeys.suggestions(query) : ['schedule', 'suggestions', null],
    queryFn: ({ signal }) =>
      apiRequest<SuggestionDto[]>(withQuery('/api/coverage/suggestions', { ...(query ?? {}) }), { signal }),
    enabled: query !== null,
  });
}

/** A classroom device's own room. */
export function useMyClassroom() {
  return useQuery({
    queryKey: scheduleKeys.myClassroom,
    queryFn: () => apiRequest<ClassroomDto>('/api/classrooms/mine'),
    staleTime: 5 * 60 * 1000,
  });
}

export function useCalendarFeed(owner: FeedOwner, id: number) {
  return useQuery({
    queryKey: scheduleKeys.feed(owner, id),
    queryFn: () => apiRequest<CalendarFeedDto>(`/api/${owner}/${id}/calendar-feed`),
    staleTime: Infinity,
  });
}

/** A new secret URL; the old one stops working at once. */
export function useRotateCalendarFeed(owner: FeedOwner, id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<CalendarFeedDto>(`/api/${owner}/${id}/calendar-feed`, { method: 'POST' }),
    onSuccess: (feed) => queryClient.setQueryData(scheduleKeys.feed(owner, id), feed),
  });
}
