/**
 * Accounts and logging in.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

export const ROLES = ['admin', 'teacher', 'classroom', 'student'] as const;
export type Role = (typeof ROLES)[number];

export interface UserDto {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  isActive: boolean;
  createdAt: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserDto;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  schoolId?: number | null;
}

export interface UpdateUserRequest {
  displayName?: string;
  password?: string;
  schoolId?: number | null;
  isActive?: boolean;
}
