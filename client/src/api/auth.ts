import type { LoginRequest, LoginResponse, UserDto } from '@contracts/api';
import { endSession, startSession, updateSessionUser } from '../auth/session';
import { apiRequest } from './http';

export async function login(request: LoginRequest): Promise<LoginResponse> {
  const response = await apiRequest<LoginResponse>('/api/auth/login', { method: 'POST', body: request, auth: false });
  startSession(response);
  return response;
}

export async function logout(): Promise<void> {
  try {
    // Clears the HttpOnly cookie used by download links; the token is dropped whatever the answer.
    await apiRequest<undefined>('/api/auth/logout', { method: 'POST', ignoreUnauthorized: true });
  } catch {
    // Already logged out or offline: nothing more to do.
  } finally {
    endSession();
  }
}

/** Refreshes the stored user (name, role, active flag may have changed since login). */
export async function fetchMe(): Promise<UserDto> {
  const user = await apiRequest<UserDto>('/api/auth/me');
  updateSessionUser(user);
  return user;
}
