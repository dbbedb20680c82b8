import { LiveEvent, LiveMessage, type ChatRequest, type LiveMessageName, type LiveRequests, type LiveRole } from '@contracts/live';
import { LiveConnection } from './LiveConnection';
import { isTeacherCamera, LiveStore, mergeChat, type LayerChoice } from './LiveStore';
import { MediaSession, preferredLayers } from './MediaSession';
import { OwnMedia } from './OwnMedia';
import type { LiveSocket } from './signaling';

/**
 * One participant's side of a live class, as the live pages use it: the connection (socket, joins and
 * reconnects), each join's media session (Device, transports, producers, consumers), own camera, microphone and
 * screen, and the store the pages read (`store`, through useLiveClient).
 *
 * `start()` and `close()` may alternate (React's StrictMode mounts twice).
 */
export class LiveClient {
  readonly sessionId: number;
  readonly store = new LiveStore();
  private readonly connection: LiveConnection;
  private readonly own: OwnMedia;

  constructor(sessionId: number) {
    this.sessionId = sessionId;
    this.connection = new LiveConnection(sessionId, this.store, {
      listen: (socket) => this.listen(socket),
      newSession: () =>
        new MediaSession({ store: this.store, request: this.connection.request, screenEnded: () => this.own.stopScreen() }),
      joined: (session, role) => this.joined(session, role),
      ended: () => this.own.stop(),
    });
    this.own = new OwnMedia({ store: this.store, request: this.connection.request, session: () => this.connection.media });
  }

  start(): void {
    if (this.connection.open) return;
    this.own.begin();
    this.store.reset();
    this.connection.connect();
  }

  /** Leaves the class and lets go of everything: transports, tracks (camera light off), the socket. */
  close(): void {
    this.connection.close();
    this.own.close();
  }

  dismissError(): void {
    this.store.set({ error: null });
  }

  /** A classroom device that isn't listed among the peers learns its classroom from the API. */
  setOwnClassroom(classroomId: number): void {
    if (this.store.state.classroomId !== null) return;
    this.store.set({ classroomId });
    this.own.syncTalkback();
  }

  private joined(session: MediaSession, role: LiveRole): void {
    if (role === 'teacher') void this.own.startTeacher(session);
    else session.watchQuality();
    this.own.syncTalkback();
  }

  private peerLeft(peerId: string): void {
    const { store } = this;
    store.set({ peers: store.state.peers.filter((p) => p.peerId !== peerId) });
    for (const remote of store.state.remotes.filter((r) => r.peer.peerId === peerId)) this.connection.media?.dropConsumer(remote.consumerId);
  }

  private listen(socket: LiveSocket): void {
    const { store } = this;
    const media = () => this.connection.media;
    socket.on(LiveEvent.PeerJoined, (peer) => {
      store.set({ peers: [...store.state.peers.filter((p) => p.peerId !== peer.peerId), peer] });
    });
    socket.on(LiveEvent.PeerLeft, ({ peerId }) => this.peerLeft(peerId));
    // A classroom hears of the others once a second, in order.
    socket.on(LiveEvent.PeersChanged, ({ changes }) => {
      for (const { change, peer } of changes) {
        if (change === 'left') this.peerLeft(peer.peerId);
        else store.set({ peers: [...store.state.peers.filter((p) => p.peerId !== peer.peerId), peer] });
      }
    });
    socket.on(LiveEvent.NewProducer, (info) => void media()?.consume(info));
    socket.on(LiveEvent.ProducerClosed, (ref) => media()?.producerClosed(ref.producerId));
    socket.on(LiveEvent.ProducerPaused, (ref) => this.setRemotePaused(ref.producerId, true));
    socket.on(LiveEvent.ProducerResumed, (ref) => this.setRemotePaused(ref.producerId, false));
    socket.on(LiveEvent.ConsumerClosed, (ref) => media()?.dropConsumer(ref.consumerId));
    socket.on(LiveEvent.ConsumerLayers, (e) => {
      store.set({ remotes: store.state.remotes.map((r) => (r.consumerId === e.consumerId ? { ...r, spatialLayer: e.spatialLayer } : r)) });
    });
    socket.on(LiveEvent.ReceptionChanged, (e) => {
      store.set({ receptions: { ...store.state.receptions, [e.classroomId]: e.reception } });
    });
    socket.on(LiveEvent.HandsChanged, (hands) => {
      store.set({ hands });
      this.own.syncTalkback();
    });
    socket.on(LiveEvent.ChatPosted, (message) => {
      store.set({ chat: mergeChat(store.state.chat, [message]) });
    });
  }

  private setRemotePaused(producerId: string, paused: boolean): void {
    this.store.set({ remotes: this.store.state.remotes.map((r) => (r.producerId === producerId ? { ...r, paused } : r)) });
  }

  // ---- for bench/joinstorm-page.mjs, which times joins from outside --------------------------------------

  subscribe = this.store.subscribe;
  getSnapshot = this.store.getSnapshot;

  get socket(): LiveSocket | null {
    return this.connection.currentSocket;
  }

  /** The current join's media (the bench reads its receive transport and consumers). */
  get media(): MediaSession | null {
    return this.connection.media;
  }

  // ---- own media -------------------------------------------------------------------------------------------

  /** The teacher's camera or microphone on or off. */
  toggle(kind: 'camera' | 'mic'): Promise<void> {
    return this.own.toggle(kind);
  }

  /** Shares a screen, window or tab as a second video, or stops sharing. */
  toggleScreen(): Promise<void> {
    return this.own.toggleScreen();
  }

  /** Caps the teacher-video layer this classroom receives (a weak link picks `low`). */
  async setLayer(layer: LayerChoice): Promise<void> {
    this.store.set({ layer });
    try {
      for (const remote of this.store.state.remotes.filter(isTeacherCamera)) {
        await this.connection.request(LiveMessage.SetPreferredLayers, preferredLayers(remote.consumerId, layer));
      }
    } catch (error) {
      this.store.report(error);
    }
  }

  // ---- class actions ---------------------------------------------------------------------------------------

  /** Runs one acknowledged action; a refusal shows as the page's error. Resolves with whether it worked. */
  private async act<M extends LiveMessageName>(
    name: M,
    body: LiveRequests[M]['req'],
    then?: (data: LiveRequests[M]['res']) => void,
  ): Promise<boolean> {
    try {
      const data = await this.connection.request(name, body);
      then?.(data);
      return true;
    } catch (error) {
      this.store.report(error);
      return false;
    }
  }

  raiseHand(): Promise<boolean> {
    return this.act(LiveMessage.RaiseHand, {});
  }

  lowerHand(): Promise<boolean> {
    return this.act(LiveMessage.LowerHand, {});
  }

  grantFloor(classroomId: number): Promise<boolean> {
    return this.act(LiveMessage.GrantFloor, { classroomId });
  }

  revokeFloor(classroomId: number): Promise<boolean> {
    return this.act(LiveMessage.RevokeFloor, { classroomId });
  }

  sendChat(text: string, kind: ChatRequest['kind']): Promise<boolean> {
    return this.act(LiveMessage.SendChat, { text, kind }, (message) => {
      this.store.set({ chat: mergeChat(this.store.state.chat, [message]) });
    });
  }

  async endClass(): Promise<boolean> {
    const ended = await this.act(LiveMessage.EndClass, { sessionId: this.sessionId });
    if (ended) this.connection.finish();
    return ended;
  }
}
