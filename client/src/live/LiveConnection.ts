import type { Socket } from 'socket.io-client';
import { LiveEvent, LiveMessage, type JoinResult, type LiveRole } from '@contracts/live';
import { mergeChat, Stale, type LiveStore } from './LiveStore';
import type { MediaSession } from './MediaSession';
import { connectLive, LiveRequestError, refusedConnection, request, type LiveRequester, type LiveSocket } from './signaling';

export interface LiveConnectionHooks {
  /** The class's events beyond the connection's own: peers, media, hands, chat. */
  listen(socket: LiveSocket): void;
  /** A new join's media session. */
  newSession(): MediaSession;
  /** Joined and receiving on `session`: send own media where allowed. */
  joined(session: MediaSession, role: LiveRole): void;
  /** The class is over for this page: own tracks off. */
  ended(): void;
}

/**
 * One participant's socket to a live class and its reconnects. It joins on every (re)connection of the socket and
 * on `class:rebuild` (the media server behind the class restarted), each time throwing away the media of the
 * previous join and building a new MediaSession; a join that fails for a passing reason is tried again after a
 * growing pause. It stops for good when the class ends or this seat is taken by another connection.
 */
export class LiveConnection {
  private readonly sessionId: number;
  private readonly store: LiveStore;
  private readonly hooks: LiveConnectionHooks;
  private socket: LiveSocket | null = null;
  private session: MediaSession | null = null;
  private joinedOnce = false;
  private attempts = 0;
  private retryTimer: number | undefined;
  /** The server this class is reached on when its home sent us elsewhere (CLASS_FULL_HERE). */
  private node: string | undefined;

  constructor(sessionId: number, store: LiveStore, hooks: LiveConnectionHooks) {
    this.sessionId = sessionId;
    this.store = store;
    this.hooks = hooks;
  }

  get open(): boolean {
    return this.socket !== null;
  }

  /** The socket while open (a new one on each start). */
  get currentSocket(): LiveSocket | null {
    return this.socket;
  }

  /** The current join's media, if any. */
  get media(): MediaSession | null {
    return this.session;
  }

  request: LiveRequester = (name, body) => {
    if (!this.socket) return Promise.reject(new LiveRequestError(0, null));
    return request(this.socket, name, body);
  };

  connect(): void {
    this.joinedOnce = false;
    this.attempts = 0;
    const socket = connectLive(this.sessionId, this.node);
    this.socket = socket;
    socket.on('connect', () => void this.establish());
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('connect_error', (error) => {
      const refused = refusedConnection(socket, error);
      if (refused) this.store.set({ status: 'error', error: refused });
      else if (!this.joinedOnce) this.store.set({ error: new LiveRequestError(0, null) });
    });
    socket.on(LiveEvent.ClassEnded, (event) => {
      if (event?.sessionId === undefined || event.sessionId === this.sessionId) this.finish();
    });
    socket.on(LiveEvent.SeatTaken, (event) => {
      // Rejoining would take the seat back from the other device, and so on: stop here and say why.
      const error = new LiveRequestError(409, event.message, undefined, event.code);
      this.finish();
      this.store.set({ status: 'error', error });
    });
    socket.on(LiveEvent.Rebuild, () => {
      if (this.store.state.status !== 'ended') void this.establish();
    });
    this.hooks.listen(socket);
  }

  /** Leaves the class and closes the socket and the current join's media. */
  close(): void {
    window.clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      // Nobody waits for the answer: the socket closes next.
      if (socket.connected && this.joinedOnce) socket.emit(LiveMessage.Leave, { sessionId: this.sessionId }, () => undefined);
      socket.disconnect();
    }
    this.dropMedia();
  }

  /** The class is over: everything stops, the socket included. */
  finish(): void {
    window.clearTimeout(this.retryTimer);
    this.dropMedia();
    this.hooks.ended();
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.disconnect();
    this.store.set({ status: 'ended', remotes: [], quality: 'unknown' });
  }

  private onDisconnect(socket: LiveSocket, reason: Socket.DisconnectReason): void {
    if (socket !== this.socket || this.store.state.status === 'ended') return;
    window.clearTimeout(this.retryTimer);
    this.dropMedia();
    this.store.set({ status: this.joinedOnce ? 'reconnecting' : 'connecting', remotes: [], quality: 'unknown', mediaUnreachable: false });
    // socket.io retries by itself unless the server hung up on purpose; try again after a pause then too.
    if (reason === 'io server disconnect') {
      this.retryTimer = window.setTimeout(() => {
        if (socket === this.socket) socket.connect();
      }, 2000);
    }
  }

  private dropMedia(): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    session.close();
  }

  /** Joins (again): the device, the receive transport, everyone's media, and own media where allowed. */
  private async establish(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected || this.store.state.status === 'ended') return;
    window.clearTimeout(this.retryTimer);
    this.dropMedia();
    // Made before the join is asked for: media announced meanwhile waits in it until it can receive.
    const session = this.hooks.newSession();
    this.session = session;
    const rejoin = this.joinedOnce;
    this.store.set({ status: rejoin ? 'reconnecting' : 'connecting' });

    let join: JoinResult;
    try {
      join = await request(socket, LiveMessage.Join, { sessionId: this.sessionId });
    } catch (error) {
      if (!session.closed) this.joinFailed(error, rejoin);
      return;
    }
    if (session.closed) return;

    try {
      await session.load(join.routerRtpCapabilities);
      if (session.closed) return;
      const { state } = this.store;
      this.store.set({
        role: join.role,
        peerId: join.peerId,
        classroomId: join.self.classroomId ?? state.classroomId,
        peers: join.peers,
        hands: join.hands,
        chat: mergeChat(state.chat, join.chat),
        receptions: Object.fromEntries(join.receptions.map((r) => [r.classroomId, r.reception])),
      });
      await session.openReceiving(join.producers);
      this.joinedOnce = true;
      this.attempts = 0;
      this.store.set({ status: 'live', error: null });
      session.consumePending();
      this.hooks.joined(session, join.role);
    } catch (error) {
      if (session.closed || error instanceof Stale) return;
      // A browser without WebRTC won't get any better by trying again.
      if (error instanceof Error && error.name === 'UnsupportedError') {
        this.dropMedia();
        this.store.set({ status: 'error', error });
        return;
      }
      this.retryLater(error);
    }
  }

  private joinFailed(error: unknown, rejoin: boolean): void {
    const status = error instanceof LiveRequestError ? error.status : null;
    // The class's home carries all the classrooms it takes: connect to the server it named, which relays the class.
    if (error instanceof LiveRequestError && error.body?.code === 'CLASS_FULL_HERE' && error.node && error.node !== this.node) {
      this.node = error.node;
      this.close();
      this.connect();
      return;
    }
    if (status !== null && status >= 400 && status < 500) {
      // Refused after being in the class: it is no longer live, it ended while we were away.
      if (rejoin && status === 409) {
        this.finish();
        return;
      }
      this.dropMedia();
      this.store.set({ status: 'error', error });
      return;
    }
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    this.dropMedia();
    this.store.set({ status: this.joinedOnce ? 'reconnecting' : 'connecting', error });
    const delay = Math.min(10_000, 1000 * 2 ** this.attempts);
    this.attempts++;
    this.retryTimer = window.setTimeout(() => void this.establish(), delay);
  }
}
