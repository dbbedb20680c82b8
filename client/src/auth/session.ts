import { useSyncExternalStore } from 'react';
import type { LoginResponse, Role, UserDto } from '@contracts/api';

/**
 * The logged-in user and their bearer token, kept in localStorage so a reload (or another tab) stays logged in.
 * Login also sets an HttpOnly cookie on the server side; that one only matters for plain download links.
 */
export interface Session {
  accessToken: string;
  /** Epoch milliseconds; a session past this is treated as logged out. */
  expiresAt: number;
  user: UserDto;
}

const STORAGE_KEY = 'tongke.session';
const listeners = new Set<() => void>();
let cached: Session | null | undefined;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number' || !value.user) return null;
    // An expired token would only earn a 401; treat it as logged out from the start.
    if (value.expiresAt <= Date.now()) return null;
    return value as Session;
  } catch {
    return null;
  }
}

function write(session: Session | null): void {
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: the session lives in memory for this tab only.
  }
  cached = session;
  listeners.forEach((notify) => notify());
}

export function getSession(): Session | null {
  if (cached === undefined) cached = read();
  return cached;
}

export function startSession(login: LoginResponse): void {
  write({ accessToken: login.accessToken, expiresAt: Date.now() + login.expiresIn * 1000, user: login.user });
}

export function updateSessionUser(user: UserDto): void {
  const session = getSession();
  if (session && JSON.stringify(session.user) !== JSON.stringify(user)) write({ ...session, user });
}

export function endSession(): void {
  write(null);
}

/** Calls `notify` after every login, logout or user update, in this tab or another. */
export function subscribeSession(notify: () => void): () => void {
  listeners.add(notify);
  // Another tab logged in or out.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) {
      cached = undefined;
      notify();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(notify);
    window.removeEventListener('storage', onStorage);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

export function useCurrentUser(): UserDto | null {
  return useSession()?.user ?? null;
}

export function hasRole(user: UserDto | null, ...roles: Role[]): boolean {
  return user !== null && roles.includes(user.role);
}
