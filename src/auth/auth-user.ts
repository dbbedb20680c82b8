import type { Role } from '../contracts/api.js';

/** Who is calling, as the guard established it from the access token and the database. */
export interface AuthUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  /** For a classroom's device account, the classroom it stands for (null otherwise): looked up once, at login check. */
  classroomId: number | null;
}

export const isAdmin = (user: AuthUser | undefined): boolean => user?.role === 'admin';
