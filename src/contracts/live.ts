/**
 * The live-class signaling protocol over socket.io (namespace `/live`), shared by the server and `client/`.
 * Connect with `auth: { token: <accessToken> }`. Every client message is acknowledged with `LiveAck<T>`:
 * `{ ok: true, data }` or `{ ok: false, error }` saying why.
 */

export const LIVE_NAMESPACE = '/live';

export type LiveAck<T> = { ok: true; data: T } | { ok: false; error: LiveError };

export interface LiveError {
  /** HTTP-like status: 400 bad message, 401, 403 not allowed by role or schedule, 404, 409 wrong state. */
  status: number;
  message: string;
  details?: string[];
}

/** Client → server messages and their acknowledged results. */
export const LiveMessage = {
  StartClass: 'class:start',
  EndClass: 'class:end',
  Join: 'class:join',
  Leave: 'class:leave',
} as const;

export interface SessionRef {
  sessionId: number;
}

export type LiveRole = 'teacher' | 'classroom' | 'observer';

export interface StartClassResult {
  sessionId: number;
  status: 'live';
}

export interface JoinResult {
  sessionId: number;
  role: LiveRole;
  /** The router's RTP capabilities, for mediasoup-client's Device.load(). */
  routerRtpCapabilities: unknown;
}

/** Server → client events. */
export const LiveEvent = {
  /** To a booked classroom's devices (its "today" page): the class has started, show the join button. */
  SessionLive: 'session:live',
  /** To the same: the class has ended. */
  SessionEnded: 'session:ended',
  /** To everyone in the class. */
  ClassEnded: 'class:ended',
} as const;

export interface SessionLiveEvent {
  sessionId: number;
  title: string;
  startsAt: string;
  endsAt: string;
}

export interface SessionEndedEvent {
  sessionId: number;
}
