import { io, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  LiveMessage,
  type LiveAck,
  type LiveClientToServer,
  type LiveError,
  type LiveMessageName,
  type LiveRequests,
  type LiveServerToClient,
  type StartClassResult,
} from '@contracts/live';
import { ApiRequestError } from '../api/http';
import { getSession } from '../auth/session';

/** A socket on the live namespace, typed by the protocol: listeners get their payloads, `request` its bodies. */
export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** How long a message waits for its acknowledgement. */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * A refused or unanswered live message. It is an ApiRequestError, so `describeError` and `ErrorMessage` translate
 * it by status like any API error, followed by the server's message. Status 0: no answer (timeout, no connection).
 */
export class LiveRequestError extends ApiRequestError {
  /** With CLASS_FULL_HERE: the server to connect to instead. */
  node?: string;

  constructor(status: number, message: string | null, details?: string[], code?: string) {
    super(status, message === null ? null : { statusCode: status, error: '', message, details, code });
    this.name = 'LiveRequestError';
  }

  /** RATE_LIMITED (429) is shown as "too many requests, wait a moment" in the user's language, by its status. */
  static from(error: LiveError): LiveRequestError {
    const e = new LiveRequestError(error.status, error.message, error.details, error.code);
    e.node = error.node;
    return e;
  }
}

/**
 * A socket on the live namespace of this origin. The token is read on every (re)connection attempt, so a
 * reconnect after logging in again uses the new one. For a class, `sessionId` goes into the connection's address
 * (`?session=`): with several servers the reverse proxy sends every socket of one class to the same one, unless
 * `node` names the server to reach (`&node=`: the class's home was full and sent this classroom there).
 */
export function connectLive(sessionId?: number, node?: string): LiveSocket {
  return io(LIVE_NAMESPACE, {
    ...(sessionId === undefined ? {} : { query: { session: String(sessionId), ...(node ? { node } : {}) } }),
    auth: (cb) => cb({ token: getSession()?.accessToken ?? '' }),
    transports: ['websocket'],
    // Each page owns its connection: closing one must not close another's.
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
  });
}

/** The handshake refused by the server (bad token, no account) as a translated error; null for network trouble. */
export function refusedConnection(socket: LiveSocket, error: Error): LiveRequestError | null {
  // socket.io stops retrying only when the server's middleware refused the connection.
  return socket.active ? null : new LiveRequestError(401, error.message);
}

function isAck(value: unknown): value is LiveAck<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

/** Sends one message and resolves with the acknowledged data, or rejects with a LiveRequestError. */
export async function request<M extends LiveMessageName>(
  socket: LiveSocket,
  name: M,
  body: LiveRequests[M]['req'],
): Promise<LiveRequests[M]['res']> {
  // The one cast: under timeout() socket.io's typings read every acknowledgement as `any`, and they can't match a
  // generic message name's body against their rewritten parameters. For each message this is what it is.
  const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emitWithAck(name: M, body: LiveRequests[M]['req']): Promise<LiveAck<LiveRequests[M]['res']>>;
  };
  let ack: LiveAck<LiveRequests[M]['res']>;
  try {
    ack = await timed.emitWithAck(name, body);
  } catch {
    throw new LiveRequestError(0, null);
  }
  if (!isAck(ack)) throw new LiveRequestError(500, null);
  if (!ack.ok) throw LiveRequestError.from(ack.error);
  return ack.data;
}

/** `request` on one socket, as the parts of a live class share it. */
export type LiveRequester = <M extends LiveMessageName>(name: M, body: LiveRequests[M]['req']) => Promise<LiveRequests[M]['res']>;

/** Resolves once the socket is connected; rejects when the server refuses it or nothing answers in time. */
export function whenConnected(socket: LiveSocket, timeoutMs = ACK_TIMEOUT_MS): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      window.clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = () => finish();
    const onError = (error: Error) => {
      const refused = refusedConnection(socket, error);
      if (refused) finish(refused);
    };
    const timer = window.setTimeout(() => finish(new LiveRequestError(0, null)), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
}

/** The session's teacher opens the class (the booked classrooms are told at once); a live class is opened again. */
export async function startClass(sessionId: number): Promise<StartClassResult> {
  const socket = connectLive(sessionId);
  try {
    await whenConnected(socket);
    return await request(socket, LiveMessage.StartClass, { sessionId });
  } finally {
    socket.disconnect();
  }
}
