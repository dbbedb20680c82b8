import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Page, RecordingDto, RecordingQuery, RecordingStorageDto, SaveRecordingProgressRequest } from '@contracts/api';
import { apiRequest, withQuery } from './http';

export const recordingKeys = {
  all: ['recordings'] as const,
  list: (query: RecordingQuery) => ['recordings', 'list', query] as const,
  detail: (id: number) => ['recordings', 'detail', id] as const,
  ofSession: (sessionId: number) => ['recordings', 'session', sessionId] as const,
  storage: ['recordings', 'storage'] as const,
};

/** A recording being processed is re-read this often, so the page moves on to the player by itself. */
export const PROCESSING_POLL_MS = 2000;
/** Lists poll more calmly while one of their recordings is processing. */
const LIST_POLL_MS = 5000;

function pollWhileProcessing(recording: RecordingDto | undefined): number | false {
  return recording?.status === 'processing' ? PROCESSING_POLL_MS : false;
}

export function useRecordings(query: RecordingQuery, enabled = true) {
  return useQuery({
    queryKey: recordingKeys.list(query),
    queryFn: ({ signal }) => apiRequest<Page<RecordingDto>>(withQuery('/api/recordings', { ...query }), { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.items.some((recording) => recording.status === 'processing') ? LIST_POLL_MS : false,
    enabled,
  });
}

export function useRecording(id: number) {
  return useQuery({
    queryKey: recordingKeys.detail(id),
    queryFn: () => apiRequest<RecordingDto>(`/api/recordings/${id}`),
    refetchInterval: (current) => pollWhileProcessing(current.state.data),
  });
}

/** The recording of a class (404 while it has none). */
export function useSessionRecording(sessionId: number) {
  return useQuery({
    queryKey: recordingKeys.ofSession(sessionId),
    queryFn: () => apiRequest<RecordingDto>(`/api/sessions/${sessionId}/recording`),
    refetchInterval: (current) => pollWhileProcessing(current.state.data),
  });
}

export function useRecordingStorage(enabled = true) {
  return useQuery({
    queryKey: recordingKeys.storage,
    queryFn: () => apiRequest<RecordingStorageDto>('/api/recordings/storage'),
    enabled,
  });
}

/** Replaces one recording wherever it is cached: its own page, its session's, and any list showing it. */
function replaceCached(queryClient: QueryClient, id: number, change: (recording: RecordingDto) => RecordingDto): void {
  queryClient.setQueriesData<RecordingDto | Page<RecordingDto>>({ queryKey: recordingKeys.all }, (cached) => {
    if (cached && 'items' in cached) {
      return { ...cached, items: cached.items.map((item) => (item.id === id ? change(item) : item)) };
    }
    // The storage summary lives under the same key and has no id.
    return cached && 'id' in cached && cached.id === id ? change(cached) : cached;
  });
}

/**
 * Remembers where the user stopped watching. Not a mutation: it also runs while the page is being left
 * (`keepalive`), after React has let go of the component. A failed save is not worth interrupting the film for.
 */
export function useSaveProgress() {
  const queryClient = useQueryClient();
  return useCallback(
    (id: number, positionSeconds: number, keepalive = false) => {
      const body: SaveRecordingProgressRequest = { positionSeconds };
      // Cached pages resume from here too, without waiting for a refetch.
      replaceCached(queryClient, id, (recording) => ({ ...recording, myPositionSeconds: positionSeconds }));
      apiRequest<undefined>(`/api/recordings/${id}/progress`, {
        method: 'PUT',
        body,
        keepalive,
        // An expired login shows on the next real action, not in the middle of a film.
        ignoreUnauthorized: true,
      }).catch(() => undefined);
    },
    [queryClient],
  );
}

export function useRetryRecording() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest<RecordingDto>(`/api/recordings/${id}/retry`, { method: 'POST' }),
    onSuccess: (recording) => {
      replaceCached(queryClient, recording.id, () => recording);
      return queryClient.invalidateQueries({ queryKey: recordingKeys.all });
    },
  });
}

export function useDeleteRecording() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest<undefined>(`/api/recordings/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recordingKeys.all }),
  });
}
