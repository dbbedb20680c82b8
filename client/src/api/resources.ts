import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ResourceDetailDto, ResourceDto, UpdateResourceRequest, Visibility } from '@contracts/api';
import { apiRequest, uploadForm } from './http';

export const resourceKeys = {
  all: ['resources'] as const,
  ofCourse: (courseId: number) => ['resources', 'course', courseId] as const,
  detail: (id: number) => ['resources', 'detail', id] as const,
};

export function useCourseResources(courseId: number) {
  return useQuery({
    queryKey: resourceKeys.ofCourse(courseId),
    queryFn: () => apiRequest<ResourceDto[]>(`/api/courses/${courseId}/resources`),
  });
}

/** The full version history; only fetched where it is shown (owners and admins). */
export function useResourceDetail(id: number, enabled: boolean) {
  return useQuery({
    queryKey: resourceKeys.detail(id),
    queryFn: () => apiRequest<ResourceDetailDto>(`/api/resources/${id}`),
    enabled,
  });
}

function useResourceCacheUpdate() {
  const queryClient = useQueryClient();
  return (resource?: ResourceDetailDto) => {
    if (resource) queryClient.setQueryData(resourceKeys.detail(resource.id), resource);
    return queryClient.invalidateQueries({ queryKey: resourceKeys.all });
  };
}

export interface NewResource {
  title: string;
  visibility: Visibility;
  lessonId: number | null;
  file: File;
  onProgress?: (percent: number) => void;
}

export function useUploadResource(courseId: number) {
  const update = useResourceCacheUpdate();
  return useMutation({
    mutationFn: ({ title, visibility, lessonId, file, onProgress }: NewResource) => {
      // Text fields first, the file last: the server reads the fields before it streams the file to storage.
      const form = new FormData();
      form.append('title', title);
      form.append('visibility', visibility);
      if (lessonId !== null) form.append('lessonId', String(lessonId));
      form.append('file', file);
      return uploadForm<ResourceDetailDto>(`/api/courses/${courseId}/resources`, form, { onProgress });
    },
    onSuccess: (resource) => update(resource),
  });
}

export interface NewVersion {
  resourceId: number;
  file: File;
  onProgress?: (percent: number) => void;
}

export function useUploadVersion() {
  const update = useResourceCacheUpdate();
  return useMutation({
    mutationFn: ({ resourceId, file, onProgress }: NewVersion) => {
      const form = new FormData();
      form.append('file', file);
      return uploadForm<ResourceDetailDto>(`/api/resources/${resourceId}/versions`, form, { onProgress });
    },
    onSuccess: (resource) => update(resource),
  });
}

export function useUpdateResource() {
  const update = useResourceCacheUpdate();
  return useMutation({
    mutationFn: ({ id, ...request }: UpdateResourceRequest & { id: number }) =>
      apiRequest<ResourceDetailDto>(`/api/resources/${id}`, { method: 'PATCH', body: request }),
    onSuccess: (resource) => update(resource),
  });
}

export function useDeleteResource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest<undefined>(`/api/resources/${id}`, { method: 'DELETE' }),
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: resourceKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: resourceKeys.all });
    },
  });
}
