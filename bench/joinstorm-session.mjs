// Stands in for client/src/auth/session.ts in the join-storm page bundle (bench/joinstorm-page.mjs). The real
// one keeps one login per tab in localStorage; the benchmark runs many classroom devices in one tab, so each
// new socket.io connection takes the next access token the page was given (globalThis.__benchNextToken).
// The signaling code reads the token only when a socket connects, exactly as with the real module.

export function getSession() {
  const next = globalThis.__benchNextToken;
  const accessToken = typeof next === 'function' ? next() : '';
  return accessToken ? { accessToken, expiresAt: Number.MAX_SAFE_INTEGER, user: null } : null;
}

export function startSession() {}
export function updateSessionUser() {}
export function endSession() {}
export function subscribeSession() {
  return () => {};
}
export function useSession() {
  return getSession();
}
export function useCurrentUser() {
  return null;
}
export function hasRole() {
  return false;
}
