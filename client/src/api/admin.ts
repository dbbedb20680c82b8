import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ClassroomDto,
  CreateClassroomRequest,
  CreateSchoolRequest,
  CreateUserRequest,
  Page,
  Role,
  SchoolDto,
  UpdateClassroomRequest,
  UpdateSchoolRequest,
  UpdateUserRequest,
  UserDto,
} from '@contracts/api';
import { apiRequest, withQuery } from './http';

export interface UserQuery {
  role?: Role;
  schoolId?: number;
  page: number;
  pageSize: number;
}

export const adminKeys = {
  schools: ['schools'] as const,
  classrooms: (schoolId: number) => ['classrooms', schoolId] as const,
  users: ['users'] as const,
  userList: (query: UserQuery) => ['users', query] as const,
};

/** Any logged-in user may list schools; only admins change them. */
export function useSchools(enabled = true) {
  return useQuery({
    queryKey: adminKeys.schools,
    queryFn: () => apiRequest<SchoolDto[]>('/api/schools'),
    enabled,
  });
}

function useInvalidating<TVariables, TResult>(
  key: readonly unknown[],
  mutationFn: (variables: TVariables) => Promise<TResult>,
) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
}

export function useCreateSchool() {
  return useInvalidating(adminKeys.schools, (request: CreateSchoolRequest) =>
    apiRequest<SchoolDto>('/api/schools', { method: 'POST', body: request }),
  );
}

export function useUpdateSchool(id: number) {
  return useInvalidating(adminKeys.schools, (request: UpdateSchoolRequest) =>
    apiRequest<SchoolDto>(`/api/schools/${id}`, { method: 'PATCH', body: request }),
  );
}

export function useDeleteSchool() {
  return useInvalidating(adminKeys.schools, (id: number) =>
    apiRequest<undefined>(`/api/schools/${id}`, { method: 'DELETE' }),
  );
}

export function useClassrooms(schoolId: number, enabled = true) {
  return useQuery({
    queryKey: adminKeys.classrooms(schoolId),
    queryFn: () => apiRequest<ClassroomDto[]>(`/api/schools/${schoolId}/classrooms`),
    enabled,
  });
}

/** Classroom changes also move the school's classroom count. */
function useClassroomMutation<TVariables, TResult>(
  schoolId: number,
  mutationFn: (variables: TVariables) => Promise<TResult>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.classrooms(schoolId) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.schools }),
        queryClient.invalidateQueries({ queryKey: adminKeys.users }),
      ]),
  });
}

export function useCreateClassroom(schoolId: number) {
  return useClassroomMutation(schoolId, (request: CreateClassroomRequest) =>
    apiRequest<ClassroomDto>(`/api/schools/${schoolId}/classrooms`, { method: 'POST', body: request }),
  );
}

export function useUpdateClassroom(schoolId: number) {
  return useClassroomMutation(schoolId, ({ id, ...request }: UpdateClassroomRequest & { id: number }) =>
    apiRequest<ClassroomDto>(`/api/classrooms/${id}`, { method: 'PATCH', body: request }),
  );
}

export function useDeleteClassroom(schoolId: number) {
  return useClassroomMutation(schoolId, (id: number) =>
    apiRequest<undefined>(`/api/classrooms/${id}`, { method: 'DELETE' }),
  );
}

export function useUsers(query: UserQuery, enabled = true) {
  return useQuery({
    queryKey: adminKeys.userList(query),
    queryFn: ({ signal }) => apiRequest<Page<UserDto>>(withQuery('/api/users', { ...query }), { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCreateUser() {
  return useInvalidating(adminKeys.users, (request: CreateUserRequest) =>
    apiRequest<UserDto>('/api/users', { method: 'POST', body: request }),
  );
}

export function useUpdateUser() {
  return useInvalidating(adminKeys.users, ({ id, ...request }: UpdateUserRequest & { id: number }) =>
    apiRequest<UserDto>(`/api/users/${id}`, { method: 'PATCH', body: request }),
  );
}
