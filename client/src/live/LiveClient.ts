import { Device, type types } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import {
  LiveEvent,
  LiveMessage,
  type ChatMessage,
  type ChatRequest,
  type HandQueue,
  type JoinResult,
  type Reception,
  type LiveMessageName,
  type LiveRequests,
  type LiveRole,
  type MediaSource,
  type PeerInfo,
  type ProducerInfo,
} from '@contracts/live';
import {
  CLASSROOM_CAMERA,
  MediaAccessError,
  openCameraAndMic,
  openDevice,
  openScreen,
  stopStream,
  TEACHER_CAMERA,
  TEACHER_CODEC_OPTIONS,
  MIC_CODEC_OPTIONS,
  withAudioNack,
  TEACHER_SIMULCAST,
  TEACHER_SCREEN_SIMULCAST,
} from './media';
import { connectLive, LiveRequestError, refusedConnection, request, type LiveSocket } from './signaling';

/** Where the page stands: `error` is a refusal that retrying can't change (not booked, not started). */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

/** How well the teacher's video arrives, from the receiver's packet loss. */
export type LinkQuality = 'good' | 'fair' | 'poor' | 'unknown';

/** The teacher-video layer a classroom asks for; `auto` lets the server follow the bandwidth up to the top. */
export type LayerChoice = 'auto' | 'medium' | 'low';
const SPATIAL_LAYER: Record<LayerChoice, number> = { auto: 2, medium: 1, low: 0 };

/** One consumed track of someone else. */
export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  peer: PeerInfo;
  track: MediaStreamTrack;
  /** Its owner has paused it (a camera turned off). */
  paused: boolean;
  /** The simulcast layer arriving now (0 smallest), as the server's bandwidth estimate chose it; null until told. */
  spatialLayer?: number | null;
}

export interface LiveState {
  status: LiveStatus;
  /** The last thing that went wrong (a LiveRequestError, a MediaAccessError…), until dismissed or reconnected. */
  error: unknown;
  role: LiveRole | null;
  peerId: string | null;
  /** A classroom device's own classroom. */
  classroomId: number | null;
  peers: PeerInfo[];
  remotes: RemoteTrack[];
  hands: HandQueue;
  chat: ChatMessage[];
  /** Own camera and microphone: the teacher's, or a classroom's while it holds the floor. */
  localVideo: MediaStreamTrack | null;
  localAudio: MediaStreamTrack | null;
  /** The teacher's shared screen. */
  screenVideo: MediaStreamTrack | null;
  /** The teacher's switches. */
  cameraOn: boolean;
  micOn: boolean;
  /** A classroom holds the floor and sends its camera and microphone. */
  talkingBack: boolean;
  quality: LinkQuality;
  layer: LayerChoice;
  /** What each classroom's link carries now, as the server decides it (a classroom hears only its own). */
  receptions: Record<number, Reception>;
  /**
   * This browser's media can't get through to the server at all (ICE failed, or nothing connected within
   * MEDIA_CONNECT_MS): the only case where the recording's live playlist (plain HTTPS) helps instead.
   */
  mediaUnreachable: boolean;
}

const MEDIA_CONNECT_MS = 15_000;

const NO_HANDS: HandQueue = { classroomIds: [], floor: null };
const MAX_CHAT = 500;
const QUALITY_SAMPLE_MS = 2000;

function initialState(): LiveState {
  return {
    status: 'connecting',
    error: null,
    role: null,
    peerId: null,
    classroomId: null,
    peers: [],
    remotes: [],
    hands: NO_HANDS,
    chat: [],
    localVideo: null,
    localAudio: null,
    screenVideo: null,
    cameraOn: true,
    micOn: true,
    talkingBack: false,
    quality: 'unknown',
    layer: 'auto',
    receptions: {},
    mediaUnreachable: false,
  };
}

/** Everything built on one join; a rebuild or a reconnect throws it away and joins again. */
interface MediaSession {
  closed: boolean;
  device: Device | null;
  recv: types.Transport | null;
  send: Promise<types.Transport> | null;
  transports: types.Transport[];
  /** Remote producers asked for or consumed (a producer:closed removes its id, and an answer in flight is dropped). */
  consuming: Set<string>;
  /** Producers announced before the receive transport was ready. */
  pending: ProducerInfo[];
  consumers: Map<string, types.Consumer>;
  producers: Map<MediaSource, types.Producer>;
  producing: Set<MediaSource>;
  restartingIce: Set<string>;
  /** A classroom's talk-back was started on this join. */
  talkback: boolean;
  timers: number[];
  lastLoss: { lost: number; received: number } | null;
}

function newMediaSession(): MediaSession {
  return {
    closed: false,
    device: null,
    recv: null,
    send: null,
    transports: [],
    consuming: new Set(),
    pending: [],
    consumers: new Map(),
    producers: new Map(),
    producing: new Set(),
    restartingIce: new Set(),
    talkback: false,
    timers: [],
    lastLoss: null,
  };
}

/** Thrown inside a join that was replaced meanwhile; never shown. */
class Stale extends Error {}

function isLive(track: MediaStreamTrack | null): track is MediaStreamTrack {
  return track !== null && track.readyState === 'live';
}

function isMediaSource(value: unknown): value is MediaSource {
  return value === 'camera' || value === 'mic' || value === 'screen';
}

function mergeChat(current: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of more) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-MAX_CHAT);
}

interface InboundRtpStats {
  type: string;
  kind?: string;
  packetsLost?: number;
  packetsReceived?: number;
}

/**
 * One participant's side of a live class: the signaling socket, the mediasoup Device, the send and receive
 * transports, own producers and the consumers of everyone else's media. React reads it through
 * `subscribe` / `getSnapshot` (useSyncExternalStore); every change makes a new immutable snapshot.
 *
 * It joins on every (re)connection of the socket and on `class:rebuild`, throwing away the media of the
 * previous join. `start()` and `close()` may alternate (React's StrictMode mounts twice).
 */
export class LiveClient {
  readonly sessionId: number;
  private state: LiveState = initialState();
  private readonly listeners = new Set<() => void>();
  private socket: LiveSocket | null = null;
  private media: MediaSession | null = null;
  /** Bumped by start() and close(): work begun before belongs to a closed client. */
  private epoch = 0;
  private joinedOnce = false;
  private attempts = 0;
  private retryTimer: number | undefined;
  /** Own tracks, kept across rebuilds so a reconnect doesn't ask for the camera again. */
  private camera: MediaStreamTrack | null = null;
  private mic: MediaStreamTrack | null = null;
  private screen: MediaStream | null = null;
  private teacherMediaTried = false;
  private talkbackToken = 0;

  constructor(sessionId: number) {
    this.sessionId = sessionId;
  }

  // ---- the store -------------------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveState => this.state;

  private set(patch: Partial<LiveState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((listener) => listener());
  }

  private report(error: unknown): void {
    if (error instanceof Stale) return;
    this.set({ error });
  }

  dismissError(): void {
    this.set({ error: null });
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  start(): void {
    if (this.socket) return;
    this.epoch++;
    this.joinedOnce = false;
    this.attempts = 0;
    this.teacherMediaTried = false;
    this.state = initialState();
    this.listeners.forEach((listener) => listener());

    const socket = connectLive();
    this.socket = socket;
    socket.on('connect', () => void this.establish());
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('connect_error', (error) => {
      const refused = refusedConnection(socket, error);
      if (refused) this.set({ status: 'error', error: refused });
      else if (!this.joinedOnce) this.set({ error: new LiveRequestError(0, null) });
    });
    socket.on(LiveEvent.ClassEnded, (event) => {
      if (event?.sessionId === undefined || event.sessionId === this.sessionId) this.finish();
    });
    socket.on(LiveEvent.SeatTaken, (event) => {
      // Rejoining would take the seat back from the other device, and so on: stop here and say why.
      const error = new LiveRequestError(409, event.message, undefined, event.code);
      this.finish();
      this.set({ status: 'error', error });
    });
    socket.on(LiveEvent.Rebuild, () => {
      if (this.state.status !== 'ended') void this.establish();
    });
    socket.on(LiveEvent.PeerJoined, (peer) => {
      this.set({ peers: [...this.state.peers.filter((p) => p.peerId !== peer.peerId), peer] });
    });
    socket.on(LiveEvent.PeerLeft, (peer) => this.onPeerLeft(peer.peerId));
    socket.on(LiveEvent.NewProducer, (info) => {
      if (this.media) void this.consume(this.media, info);
    });
    socket.on(LiveEvent.ProducerClosed, (ref) => this.onProducerClosed(ref.producerId));
    socket.on(LiveEvent.ProducerPaused, (ref) => this.setRemotePaused(ref.producerId, true));
    socket.on(LiveEvent.ProducerResumed, (ref) => this.setRemotePaused(ref.producerId, false));
    socket.on(LiveEvent.ConsumerClosed, (ref) => this.dropConsumer(ref.consumerId));
    socket.on(LiveEvent.ConsumerLayers, (e) => {
      this.set({ remotes: this.state.remotes.map((r) => (r.consumerId === e.consumerId ? { ...r, spatialLayer: e.spatialLayer } : r)) });
    });
    socket.on(LiveEvent.ReceptionChanged, (e) => {
      this.set({ receptions: { ...this.state.receptions, [e.classroomId]: e.reception } });
    });
    socket.on(LiveEvent.HandsChanged, (hands) => {
      this.set({ hands });
      this.syncTalkback();
    });
    socket.on(LiveEvent.ChatPosted, (message) => {
      this.set({ chat: mergeChat(this.state.chat, [message]) });
    });
  }

  /** Leaves the class and lets go of everything: transports, tracks (camera light off), the socket. */
  close(): void {
    this.epoch++;
    window.clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      // Nobody waits for the answer: the socket closes next.
      if (socket.connected && this.joinedOnce) socket.emit(LiveMessage.Leave, { sessionId: this.sessionId }, () => undefined);
      socket.disconnect();
    }
    this.closeMedia();
    this.stopLocal();
  }

  /** A classroom device that isn't listed among the peers learns its classroom from the API. */
  setOwnClassroom(classroomId: number): void {
    if (this.state.classroomId !== null) return;
    this.set({ classroomId });
    this.syncTalkback();
  }

  private onDisconnect(socket: LiveSocket, reason: Socket.DisconnectReason): void {
    if (socket !== this.socket || this.state.status === 'ended') return;
    window.clearTimeout(this.retryTimer);
    this.closeMedia();
    this.set({ status: this.joinedOnce ? 'reconnecting' : 'connecting', remotes: [], quality: 'unknown', mediaUnreachable: false });
    // socket.io retries by itself unless the server hung up on purpose; try again after a pause then too.
    if (reason === 'io server disconnect') {
      this.retryTimer = window.setTimeout(() => {
        if (socket === this.socket) socket.connect();
      }, 2000);
    }
  }

  /** The class is over: everything stops, the socket included. */
  private finish(): void {
    window.clearTimeout(this.retryTimer);
    this.closeMedia();
    this.stopLocal();
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.disconnect();
    this.set({ status: 'ended', remotes: [], quality: 'unknown' });
  }

  private closeMedia(): void {
    const session = this.media;
    if (!session) return;
    this.media = null;
    session.closed = true;
    session.timers.forEach((timer) => window.clearInterval(timer));
    session.consumers.forEach((consumer) => consumer.close());
    session.producers.forEach((producer) => producer.close());
    session.transports.forEach((transport) => transport.close());
    if (this.state.remotes.length > 0) this.set({ remotes: [] });
  }

  private stopLocal(): void {
    this.talkbackToken++;
    this.camera?.stop();
    this.mic?.stop();
    stopStream(this.screen);
    this.camera = null;
    this.mic = null;
    this.screen = null;
    if (this.state.localVideo || this.state.localAudio || this.state.screenVideo || this.state.talkingBack) {
      this.set({ localVideo: null, localAudio: null, screenVideo: null, talkingBack: false });
    }
  }

  private publishLocal(): void {
    this.set({ localVideo: isLive(this.camera) ? this.camera : null, localAudio: isLive(this.mic) ? this.mic : null });
  }

  // ---- joining ---------------------------------------------------------------------------------------------

  private req<M extends LiveMessageName>(name: M, body: LiveRequests[M]['req']): Promise<LiveRequests[M]['res']> {
    if (!this.socket) return Promise.reject(new LiveRequestError(0, null));
    return request(this.socket, name, body);
  }

  /** Joins (again): the device, the receive transport, everyone's media, and own media where allowed. */
  private async establish(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected || this.state.status === 'ended') return;
    window.clearTimeout(this.retryTimer);
    this.closeMedia();
    const session = newMediaSession();
    this.media = session;
    const rejoin = this.joinedOnce;
    this.set({ status: rejoin ? 'reconnecting' : 'connecting' });

    let join: JoinResult;
    try {
      join = await request(socket, LiveMessage.Join, { sessionId: this.sessionId });
    } catch (error) {
      if (!session.closed) this.joinFailed(error, rejoin);
      return;
    }
    if (session.closed) return;

    try {
      const device = new Device();
      await device.load({ routerRtpCapabilities: join.routerRtpCapabilities as types.RtpCapabilities });
      if (session.closed) return;
      session.device = device;
      this.set({
        role: join.role,
        peerId: join.peerId,
        classroomId: join.self.classroomId ?? this.state.classroomId,
        peers: join.peers,
        hands: join.hands,
        chat: mergeChat(this.state.chat, join.chat),
        receptions: Object.fromEntries(join.receptions.map((r) => [r.classroomId, r.reception])),
      });
      session.pending.push(...join.producers);
      session.recv = await this.createTransport(session, 'recv');
      this.joinedOnce = true;
      this.attempts = 0;
      this.set({ status: 'live', error: null });
      for (const info of session.pending.splice(0)) void this.consume(session, info);
      if (join.role === 'teacher') void this.startTeacherMedia(session);
      else this.watchQuality(session);
      this.syncTalkback();
    } catch (error) {
      if (session.closed || error instanceof Stale) return;
      // A browser without WebRTC won't get any better by trying again.
      if (error instanceof Error && error.name === 'UnsupportedError') {
        this.closeMedia();
        this.set({ status: 'error', error });
        return;
      }
      this.retryLater(error);
    }
  }

  private joinFailed(error: unknown, rejoin: boolean): void {
    const status = error instanceof LiveRequestError ? error.status : null;
    if (status !== null && status >= 400 && status < 500) {
      // Refused after being in the class: it is no longer live, it ended while we were away.
      if (rejoin && status === 409) {
        this.finish();
        return;
      }
      this.closeMedia();
      this.set({ status: 'error', error });
      return;
    }
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    this.closeMedia();
    this.set({ status: this.joinedOnce ? 'reconnecting' : 'connecting', error });
    const delay = Math.min(10_000, 1000 * 2 ** this.attempts);
    this.attempts++;
    this.retryTimer = window.setTimeout(() => void this.establish(), delay);
  }

  private async createTransport(session: MediaSession, direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.req(LiveMessage.CreateTransport, { direction });
    if (session.closed || !session.device) throw new Stale();
    const options: types.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters as types.IceParameters,
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
      iceServers: info.iceServers,
    };
    const transport =
      direction === 'send' ? session.device.createSendTransport(options) : session.device.createRecvTransport(options);
    session.transports.push(transport);

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.req(LiveMessage.ConnectTransport, { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    const receiving = direction === 'recv' && this.state.role !== 'teacher';
    transport.on('connectionstatechange', (state) => {
      if (receiving && !session.closed && state === 'connected' && this.state.mediaUnreachable) this.set({ mediaUnreachable: false });
      if (state !== 'disconnected' && state !== 'failed') return;
      void this.restartIce(session, transport);
      if (receiving && !session.closed) this.set({ quality: 'poor', mediaUnreachable: this.state.mediaUnreachable || state === 'failed' });
    });
    if (receiving) {
      setTimeout(() => {
        if (!session.closed && !transport.closed && transport.connectionState !== 'connected') this.set({ mediaUnreachable: true });
      }, MEDIA_CONNECT_MS);
    }
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        // produce() below always names its source.
        const { source } = appData;
        if (!isMediaSource(source)) return errback(new Error(`A ${kind} producer without its source`));
        this.req(LiveMessage.Produce, { transportId: transport.id, kind, rtpParameters, source }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      });
    }
    return transport;
  }

  private async restartIce(session: MediaSession, transport: types.Transport): Promise<void> {
    if (session.restartingIce.has(transport.id)) return;
    session.restartingIce.add(transport.id);
    try {
      const { iceParameters } = await this.req(LiveMessage.RestartIce, { transportId: transport.id });
      if (!session.closed && !transport.closed) await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch {
      // Nothing to tell: a dead socket rebuilds everything on reconnect, a live one lets the next change retry.
    } finally {
      session.restartingIce.delete(transport.id);
    }
  }

  // ---- receiving -------------------------------------------------------------------------------------------

  private async consume(session: MediaSession, info: ProducerInfo): Promise<void> {
    if (session.closed || info.peer.peerId === this.state.peerId || session.consuming.has(info.producerId)) return;
    if (!session.recv || !session.device) {
      if (!session.pending.some((p) => p.producerId === info.producerId)) session.pending.push(info);
      return;
    }
    const recv = session.recv;
    session.consuming.add(info.producerId);
    // Still wanted: same join, and no producer:closed meanwhile.
    const wanted = () => !session.closed && session.consuming.has(info.producerId);
    try {
      const data = await this.req(LiveMessage.Consume, {
        producerId: info.producerId,
        rtpCapabilities: withAudioNack(session.device.rtpCapabilities),
      });
      if (!wanted()) return;
      const consumer = await recv.consume({
        id: data.id,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as types.RtpParameters,
        // One stream per person's camera and microphone keeps them in lip sync.
        streamId: `${data.peer.peerId}-${data.source === 'screen' ? 'screen' : 'av'}`,
        appData: { source: data.source },
      });
      if (!wanted()) {
        consumer.close();
        return;
      }
      session.consumers.set(consumer.id, consumer);
      consumer.on('transportclose', () => session.consumers.delete(consumer.id));
      consumer.on('trackended', () => this.dropConsumer(consumer.id));
      const remote: RemoteTrack = {
        consumerId: consumer.id,
        producerId: data.producerId,
        kind: data.kind,
        source: data.source,
        peer: data.peer,
        track: consumer.track,
        paused: data.producerPaused,
      };
      this.set({ remotes: [...this.state.remotes.filter((r) => r.producerId !== remote.producerId), remote] });
      await this.req(LiveMessage.ResumeConsumer, { consumerId: consumer.id });
      if (isTeacherCamera(remote) && this.state.layer !== 'auto') await this.applyLayer(remote, this.state.layer);
    } catch (error) {
      if (session.closed) return;
      session.consuming.delete(info.producerId);
      // The producer went away before it could be consumed (its producer:closed is on the way): nothing to say.
      if (error instanceof LiveRequestError && error.status === 404) return;
      this.report(error);
    }
  }

  private dropConsumer(consumerId: string): void {
    const session = this.media;
    const consumer = session?.consumers.get(consumerId);
    if (session && consumer) {
      session.consumers.delete(consumerId);
      session.consuming.delete(consumer.producerId);
      consumer.close();
    }
    if (this.state.remotes.some((r) => r.consumerId === consumerId)) {
      this.set({ remotes: this.state.remotes.filter((r) => r.consumerId !== consumerId) });
    }
  }

  private setRemotePaused(producerId: string, paused: boolean): void {
    this.set({ remotes: this.state.remotes.map((r) => (r.producerId === producerId ? { ...r, paused } : r)) });
  }

  private onProducerClosed(producerId: string): void {
    const session = this.media;
    if (!session) return;
    session.consuming.delete(producerId);
    session.pending = session.pending.filter((p) => p.producerId !== producerId);
    for (const remote of this.state.remotes.filter((r) => r.producerId === producerId)) this.dropConsumer(remote.consumerId);
    // One of ours, closed by the server (a classroom's floor taken back).
    for (const [source, producer] of session.producers) {
      if (producer.id !== producerId) continue;
      session.producers.delete(source);
      producer.close();
      if (source === 'screen') this.stopScreen();
    }
  }

  private onPeerLeft(peerId: string): void {
    this.set({ peers: this.state.peers.filter((p) => p.peerId !== peerId) });
    for (const remote of this.state.remotes.filter((r) => r.peer.peerId === peerId)) this.dropConsumer(remote.consumerId);
  }

  /** Caps the teacher-video layer this classroom receives (a weak link picks `low`). */
  async setLayer(layer: LayerChoice): Promise<void> {
    this.set({ layer });
    try {
      for (const remote of this.state.remotes.filter(isTeacherCamera)) await this.applyLayer(remote, layer);
    } catch (error) {
      this.report(error);
    }
  }

  private applyLayer(remote: RemoteTrack, layer: LayerChoice): Promise<unknown> {
    return this.req(LiveMessage.SetPreferredLayers, { consumerId: remote.consumerId, spatialLayer: SPATIAL_LAYER[layer] });
  }

  private watchQuality(session: MediaSession): void {
    session.timers.push(window.setInterval(() => void this.sampleQuality(session), QUALITY_SAMPLE_MS));
  }

  private async sampleQuality(session: MediaSession): Promise<void> {
    const remote = this.state.remotes.find(isTeacherCamera);
    const consumer = remote && session.consumers.get(remote.consumerId);
    if (!consumer || !session.recv) {
      session.lastLoss = null;
      if (this.state.quality !== 'unknown') this.set({ quality: 'unknown' });
      return;
    }
    let lost = 0;
    let received = 0;
    try {
      (await consumer.getStats()).forEach((report: InboundRtpStats) => {
        if (report.type !== 'inbound-rtp') return;
        lost += report.packetsLost ?? 0;
        received += report.packetsReceived ?? 0;
      });
    } catch {
      return;
    }
    if (session.closed) return;
    const last = session.lastLoss;
    session.lastLoss = { lost, received };
    let quality: LinkQuality;
    if (session.recv.connectionState !== 'connected') quality = 'poor';
    else if (!last) return;
    else {
      const newLost = Math.max(0, lost - last.lost);
      const newReceived = Math.max(0, received - last.received);
      const ratio = newLost + newReceived > 0 ? newLost / (newLost + newReceived) : 0;
      // Nothing at all arrived: a paused camera, or a dead link that the transport state will report.
      if (newReceived === 0) quality = 'unknown';
      else quality = ratio < 0.02 ? 'good' : ratio < 0.08 ? 'fair' : 'poor';
    }
    if (quality !== this.state.quality) this.set({ quality });
  }

  // ---- sending ---------------------------------------------------------------------------------------------

  private sendTransport(session: MediaSession): Promise<types.Transport> {
    session.send ??= this.createTransport(session, 'send');
    session.send.catch(() => {
      // Asked again next time.
      if (!session.closed) session.send = null;
    });
    return session.send;
  }

  /** Sends one own track; `wanted` is asked again once it's on, and a no closes it at once. */
  private async produce(
    session: MediaSession,
    source: MediaSource,
    track: MediaStreamTrack,
    options: Pick<types.ProducerOptions, 'encodings' | 'codecOptions'> = {},
    wanted: () => boolean = () => true,
  ): Promise<types.Producer | null> {
    const existing = session.producers.get(source);
    if (existing || session.producing.has(source)) return existing ?? null;
    session.producing.add(source);
    try {
      const transport = await this.sendTransport(session);
      if (session.closed) return null;
      const producer = await transport.produce({ track, stopTracks: false, appData: { source }, ...options });
      if (session.closed) {
        producer.close();
        return null;
      }
      if (!wanted()) {
        producer.close();
        await this.req(LiveMessage.CloseProducer, { producerId: producer.id }).catch(() => undefined);
        return null;
      }
      session.producers.set(source, producer);
      producer.on('transportclose', () => session.producers.delete(source));
      producer.on('trackended', () => {
        if (source === 'screen') this.stopScreen();
        else this.report(new MediaAccessError('failed', source === 'camera' ? 'camera' : 'mic'));
      });
      return producer;
    } finally {
      session.producing.delete(source);
    }
  }

  private async closeProducer(session: MediaSession, source: MediaSource): Promise<void> {
    const producer = session.producers.get(source);
    if (!producer) return;
    session.producers.delete(source);
    producer.close();
    // The server may have closed it already (a floor taken back): nothing to report then.
    await this.req(LiveMessage.CloseProducer, { producerId: producer.id }).catch(() => undefined);
  }

  private async startTeacherMedia(session: MediaSession): Promise<void> {
    const epoch = this.epoch;
    try {
      // Asked once per page: after a refusal the camera switch asks again, a reconnect doesn't.
      if (!this.teacherMediaTried && !isLive(this.camera) && !isLive(this.mic)) {
        this.teacherMediaTried = true;
        let opened: Awaited<ReturnType<typeof openCameraAndMic>>;
        try {
          opened = await openCameraAndMic(TEACHER_CAMERA);
        } catch (error) {
          if (epoch === this.epoch) this.set({ error, cameraOn: false, micOn: false });
          return;
        }
        if (epoch !== this.epoch) {
          stopStream(opened.stream);
          return;
        }
        this.camera = opened.stream.getVideoTracks()[0] ?? null;
        this.mic = opened.stream.getAudioTracks()[0] ?? null;
        this.set({ cameraOn: this.camera !== null, micOn: this.mic !== null });
        this.publishLocal();
        if (opened.problem) this.report(opened.problem);
      }
      if (session.closed) return;
      if (isLive(this.camera) && this.state.cameraOn) {
        await this.produce(session, 'camera', this.camera, { encodings: TEACHER_SIMULCAST, codecOptions: TEACHER_CODEC_OPTIONS });
      }
      if (isLive(this.mic) && this.state.micOn) await this.produce(session, 'mic', this.mic, { codecOptions: MIC_CODEC_OPTIONS });
      const screen = this.screen?.getVideoTracks()[0] ?? null;
      if (isLive(screen)) await this.produce(session, 'screen', screen, { encodings: TEACHER_SCREEN_SIMULCAST });
    } catch (error) {
      if (!session.closed) this.report(error);
    }
  }

  /** The teacher's camera or microphone on or off: a paused producer, or a first one once the device opens. */
  async toggle(kind: 'camera' | 'mic'): Promise<void> {
    const key = kind === 'camera' ? 'cameraOn' : 'micOn';
    const on = !this.state[key];
    this.set({ [key]: on });
    const session = this.media;
    try {
      const producer = session?.producers.get(kind);
      if (producer) {
        if (on) producer.resume();
        else producer.pause();
        await this.req(on ? LiveMessage.ResumeProducer : LiveMessage.PauseProducer, { producerId: producer.id });
        return;
      }
      let track = kind === 'camera' ? this.camera : this.mic;
      if (!on) {
        if (track) track.enabled = false;
        return;
      }
      if (!isLive(track)) {
        const epoch = this.epoch;
        track = await openDevice(kind, TEACHER_CAMERA);
        if (epoch !== this.epoch) {
          track.stop();
          return;
        }
        if (kind === 'camera') this.camera = track;
        else this.mic = track;
        this.publishLocal();
      }
      track.enabled = true;
      if (session?.recv && this.state.role === 'teacher') {
        await this.produce(
          session,
          kind,
          track,
          kind === 'camera' ? { encodings: TEACHER_SIMULCAST, codecOptions: TEACHER_CODEC_OPTIONS } : { codecOptions: MIC_CODEC_OPTIONS },
        );
      }
    } catch (error) {
      if (error instanceof MediaAccessError) this.set({ [key]: false });
      this.report(error);
    }
  }

  /** Shares a screen, window or tab as a second video (source `screen`), or stops sharing. */
  async toggleScreen(): Promise<void> {
    if (this.screen) {
      this.stopScreen();
      return;
    }
    const epoch = this.epoch;
    try {
      const stream = await openScreen();
      if (!stream) return;
      if (epoch !== this.epoch) {
        stopStream(stream);
        return;
      }
      const track = stream.getVideoTracks()[0];
      // Text and slides: keep them sharp rather than smooth.
      track.contentHint = 'detail';
      // The browser's own "stop sharing" button.
      track.addEventListener('ended', () => {
        if (this.screen === stream) this.stopScreen();
      });
      this.screen = stream;
      this.set({ screenVideo: track });
      const session = this.media;
      if (session?.recv) await this.produce(session, 'screen', track, { encodings: TEACHER_SCREEN_SIMULCAST }, () => this.screen === stream);
    } catch (error) {
      this.report(error);
    }
  }

  private stopScreen(): void {
    const stream = this.screen;
    this.screen = null;
    stopStream(stream);
    if (this.media) void this.closeProducer(this.media, 'screen');
    if (this.state.screenVideo) this.set({ screenVideo: null });
  }

  /** A classroom sends while it holds the floor, and stops the moment it doesn't. */
  private syncTalkback(): void {
    const session = this.media;
    const { role, classroomId, hands } = this.state;
    const holds = role === 'classroom' && classroomId !== null && hands.floor === classroomId;
    if (holds && session?.recv && !session.talkback) void this.startTalkback(session);
    else if (!holds && this.state.talkingBack) void this.stopTalkback();
  }

  private async startTalkback(session: MediaSession): Promise<void> {
    session.talkback = true;
    this.set({ talkingBack: true });
    const token = ++this.talkbackToken;
    const wanted = () => token === this.talkbackToken && !session.closed;
    try {
      if (!isLive(this.camera) && !isLive(this.mic)) {
        const { stream, problem } = await openCameraAndMic(CLASSROOM_CAMERA);
        if (!wanted()) {
          stopStream(stream);
          return;
        }
        this.camera = stream.getVideoTracks()[0] ?? null;
        this.mic = stream.getAudioTracks()[0] ?? null;
        this.publishLocal();
        if (problem) this.report(problem);
      }
      if (isLive(this.camera)) await this.produce(session, 'camera', this.camera, {}, wanted);
      if (wanted() && isLive(this.mic)) await this.produce(session, 'mic', this.mic, { codecOptions: MIC_CODEC_OPTIONS }, wanted);
    } catch (error) {
      if (wanted()) this.report(error);
    }
  }

  private async stopTalkback(): Promise<void> {
    this.talkbackToken++;
    const session = this.media;
    this.camera?.stop();
    this.mic?.stop();
    this.camera = null;
    this.mic = null;
    this.set({ talkingBack: false, localVideo: null, localAudio: null });
    if (session) {
      session.talkback = false;
      await Promise.all([this.closeProducer(session, 'camera'), this.closeProducer(session, 'mic')]);
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
      const data = await this.req(name, body);
      then?.(data);
      return true;
    } catch (error) {
      this.report(error);
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
    const body: ChatRequest = { text, kind };
    return this.act(LiveMessage.SendChat, body, (message) => {
      this.set({ chat: mergeChat(this.state.chat, [message]) });
    });
  }

  async endClass(): Promise<boolean> {
    const ended = await this.act(LiveMessage.EndClass, { sessionId: this.sessionId });
    if (ended) this.finish();
    return ended;
  }
}

/** The teacher's camera video: what the classroom screen shows full size and measures. */
export function isTeacherCamera(remote: RemoteTrack): boolean {
  return remote.peer.role === 'teacher' && remote.kind === 'video' && remote.source === 'camera';
}
