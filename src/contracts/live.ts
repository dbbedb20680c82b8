/**
 * The live-class signaling protocol over socket.io (namespace `/live`), shared by the server and `client/`.
 * Connect with `auth: { token: <accessToken> }`. Every client message is acknowledged with `LiveAck<T>`:
 * `{ ok: true, data }` or `{ ok: false, error }` saying why.
 */

export const LIVE_NAMESPACE = '/live';

export type LiveAck<T> = { ok: true; data: T } | { ok: false; error: LiveError };

export interface LiveError {
  /** HTTP-like status: 400 bad message, 401, 403 not allowed by role or schedule, 404, 409 wrong state, 429 too many. */
  status: number;
  message: string;
  details?: string[];
  /**
   * Where the status alone does not say it: RATE_LIMITED (429: this message type came too often from this socket);
   * CLASS_ON_OTHER_NODE (503: with several servers, the class lives on another one; try again, the proxy routes
   * there, or this one takes the class over if that server died); CLASS_FULL_HERE (503: this server carries as many
   * classrooms of the class as it takes; reconnect to the server named in `node`, which receives the class through
   * a pipe).
   */
  code?: 'RATE_LIMITED' | 'CLASS_ON_OTHER_NODE' | 'CLASS_FULL_HERE';
  /** With CLASS_FULL_HERE: the server to connect to instead (the live socket's `?node=`). */
  node?: string;
}

/** Client → server messages and their acknowledged results. */
export const LiveMessage = {
  StartClass: 'class:start',
  EndClass: 'class:end',
  Join: 'class:join',
  Leave: 'class:leave',
  /** → TransportInfo. A peer has at most one send and one recv transport. */
  CreateTransport: 'transport:create',
  ConnectTransport: 'transport:connect',
  /** → { iceParameters } */
  RestartIce: 'transport:restart-ice',
  /** → { producerId }. Teacher always; a classroom only while it holds the floor. */
  Produce: 'produce',
  PauseProducer: 'producer:pause',
  ResumeProducer: 'producer:resume',
  CloseProducer: 'producer:close',
  /** → ConsumerInfo (created paused: resume when the track is attached). */
  Consume: 'consume',
  ResumeConsumer: 'consumer:resume',
  /** A classroom caps the video layer it receives (weak links). */
  SetPreferredLayers: 'consumer:set-layers',
  RaiseHand: 'hand:raise',
  LowerHand: 'hand:lower',
  /** Teacher only. */
  GrantFloor: 'floor:grant',
  RevokeFloor: 'floor:revoke',
  /** → ChatMessage */
  SendChat: 'chat:send',
  /** A classroom's client reports its receiving stats every few seconds (LinkStats). */
  ReportStats: 'stats:report',
} as const;

export type LiveMessageName = (typeof LiveMessage)[keyof typeof LiveMessage];

/** What a classroom's client measured over the last few seconds (from RTCPeerConnection.getStats). */
export interface LinkStats {
  bitrateKbps: number;
  lossPct: number;
  jitterMs: number;
  framesDecoded: number;
  rttMs?: number;
}

/** The running summary the server keeps per classroom (also saved with its attendance). */
export interface LinkQuality {
  samples: number;
  avgBitrateKbps: number;
  maxLossPct: number;
  avgJitterMs: number;
  framesDecoded: number;
  /** good / fair / poor, from loss and jitter. */
  grade: 'good' | 'fair' | 'poor';
}

export interface QualityEvent {
  classroomId: number;
  quality: LinkQuality;
}

export type MediaSource = 'camera' | 'mic' | 'screen';

export interface CreateTransportRequest {
  direction: 'send' | 'recv';
}

/** What mediasoup-client's Device.createSendTransport/createRecvTransport needs. */
export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  iceServers: { urls: string | string[]; username?: string; credential?: string }[];
}

export interface ConnectTransportRequest {
  transportId: string;
  dtlsParameters: unknown;
}

export interface TransportRef {
  transportId: string;
}

export interface ProduceRequest {
  transportId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
  source: MediaSource;
}

export interface ProducerRef {
  producerId: string;
}

export interface ConsumeRequest {
  producerId: string;
  rtpCapabilities: unknown;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
  source: MediaSource;
  /** Whose media this is: the teacher, or a classroom talking back. */
  peer: PeerInfo;
  /** Its owner has it paused right now (e.g. the camera is off). */
  producerPaused: boolean;
}

export interface ConsumerRef {
  consumerId: string;
}

export interface SetLayersRequest {
  consumerId: string;
  spatialLayer: number;
  temporalLayer?: number;
}

export interface ClassroomRef {
  classroomId: number;
}

export interface ChatRequest {
  text: string;
  kind: 'chat' | 'question';
}

export interface PeerInfo {
  peerId: string;
  role: LiveRole;
  displayName: string;
  classroomId: number | null;
}

export interface ProducerInfo {
  producerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  peer: PeerInfo;
}

export interface ChatMessage {
  id: number;
  sessionId: number;
  kind: 'chat' | 'question';
  text: string;
  author: { userId: number; displayName: string; classroomId: number | null };
  createdAt: string;
}

export interface HandQueue {
  /** Classrooms with a raised hand, first raised first. */
  classroomIds: number[];
  /** The classroom that holds the floor (may talk back), if any. */
  floor: number | null;
}

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
  peerId: string;
  /** The joiner as the others see it (its classroomId tells a classroom when it holds the floor). */
  self: PeerInfo;
  /** The router's RTP capabilities, for mediasoup-client's Device.load(). */
  routerRtpCapabilities: unknown;
  /** The others already in the class. */
  peers: PeerInfo[];
  /** Media already in the class: consume each. */
  producers: ProducerInfo[];
  hands: HandQueue;
  chat: ChatMessage[];
  /** What each classroom's link carries now (to a teacher; to a classroom, its own). */
  receptions: ReceptionEvent[];
}

/**
 * How much of the lesson a classroom's link carries now, as the server's bandwidth estimate for that link
 * decides it: the teacher's camera in its large, medium or small picture; her slides or screen share without
 * the camera; or her voice alone. Video is cut before the voice is ever starved.
 */
export type Reception = 'high' | 'medium' | 'low' | 'slides' | 'audio';

export interface ReceptionEvent {
  classroomId: number;
  reception: Reception;
}

/** Server → client events. */
export const LiveEvent = {
  /** To a booked classroom's devices (its "today" page): the class has started, show the join button. */
  SessionLive: 'session:live',
  /** To the same: the class has ended. */
  SessionEnded: 'session:ended',
  /** To everyone in the class. */
  ClassEnded: 'class:ended',
  /** PeerInfo, to the teacher and observers, at once. */
  PeerJoined: 'peer:joined',
  PeerLeft: 'peer:left',
  /**
   * PeersChangedEvent, to classrooms: who joined and left over the last second, together. (Each join told to
   * every classroom at once was N² messages in a join storm of N classrooms.)
   */
  PeersChanged: 'peers:changed',
  /** New media to consume: ProducerInfo. */
  NewProducer: 'producer:new',
  /** ProducerRef: its consumers are closed. */
  ProducerClosed: 'producer:closed',
  /** ProducerRef: its owner paused it (a camera turned off): show that rather than a frozen frame. */
  ProducerPaused: 'producer:paused',
  ProducerResumed: 'producer:resumed',
  /** ConsumerRef: the server closed one of your consumers. */
  ConsumerClosed: 'consumer:closed',
  /**
   * ConsumerLayersEvent: the simulcast layer you receive changed, because your link's estimated bandwidth
   * changed (or you capped it). Spatial 0 is the smallest picture; null while nothing is sent.
   */
  ConsumerLayers: 'consumer:layers',
  /** HandQueue, to everyone in the class. */
  HandsChanged: 'hands:changed',
  ChatPosted: 'chat:posted',
  /** QualityEvent, to the teacher: a classroom's link quality changed. */
  QualityChanged: 'quality:changed',
  /** ReceptionEvent, to the teacher and to that classroom: what its link carries changed. */
  ReceptionChanged: 'reception:changed',
  /** The media server behind this class restarted: rebuild transports and consume again. */
  Rebuild: 'class:rebuild',
  /** The same account joined this class from another connection, which now has its seat: stop, don't rejoin. */
  SeatTaken: 'seat:taken',
} as const;

export interface PeersChangedEvent {
  /** In the order they happened (one may join, leave and join again within the second). */
  changes: { change: 'joined' | 'left'; peer: PeerInfo }[];
}

export interface SeatTakenEvent {
  sessionId: number;
  /** OPENED_ELSEWHERE */
  code: 'OPENED_ELSEWHERE';
  message: string;
}

export interface ConsumerLayersEvent {
  consumerId: string;
  spatialLayer: number | null;
  temporalLayer: number | null;
}

export interface SessionLiveEvent {
  sessionId: number;
  title: string;
  startsAt: string;
  endsAt: string;
  /** Its recording (watchable live with rewind), or null when the class isn't recorded. */
  recordingId: number | null;
}

export interface SessionEndedEvent {
  sessionId: number;
}

/** The ICE restart's answer: the transport's new ICE parameters. */
export interface IceRestartResult {
  iceParameters: unknown;
}

/**
 * Every client → server message: what it carries (`req`) and what its acknowledgement carries (`res`). The
 * server's handlers and the client's `request` are typed over it, so a renamed field breaks both builds.
 */
export interface LiveRequests {
  [LiveMessage.StartClass]: { req: SessionRef; res: StartClassResult };
  [LiveMessage.EndClass]: { req: SessionRef; res: SessionRef };
  [LiveMessage.Join]: { req: SessionRef; res: JoinResult };
  [LiveMessage.Leave]: { req: SessionRef; res: SessionRef };
  [LiveMessage.CreateTransport]: { req: CreateTransportRequest; res: TransportInfo };
  [LiveMessage.ConnectTransport]: { req: ConnectTransportRequest; res: TransportRef };
  [LiveMessage.RestartIce]: { req: TransportRef; res: IceRestartResult };
  [LiveMessage.Produce]: { req: ProduceRequest; res: ProducerRef };
  [LiveMessage.PauseProducer]: { req: ProducerRef; res: ProducerRef };
  [LiveMessage.ResumeProducer]: { req: ProducerRef; res: ProducerRef };
  [LiveMessage.CloseProducer]: { req: ProducerRef; res: ProducerRef };
  [LiveMessage.Consume]: { req: ConsumeRequest; res: ConsumerInfo };
  [LiveMessage.ResumeConsumer]: { req: ConsumerRef; res: ConsumerRef };
  [LiveMessage.SetPreferredLayers]: { req: SetLayersRequest; res: ConsumerRef };
  [LiveMessage.RaiseHand]: { req: Record<string, never>; res: true };
  [LiveMessage.LowerHand]: { req: Record<string, never>; res: true };
  [LiveMessage.GrantFloor]: { req: ClassroomRef; res: ClassroomRef };
  [LiveMessage.RevokeFloor]: { req: ClassroomRef; res: ClassroomRef };
  [LiveMessage.SendChat]: { req: ChatRequest; res: ChatMessage };
  [LiveMessage.ReportStats]: { req: LinkStats; res: LinkQuality };
}

/** Every server → client event and its payload. */
export interface LiveEvents {
  [LiveEvent.SessionLive]: SessionLiveEvent;
  [LiveEvent.SessionEnded]: SessionEndedEvent;
  [LiveEvent.ClassEnded]: SessionRef;
  [LiveEvent.PeerJoined]: PeerInfo;
  [LiveEvent.PeerLeft]: PeerInfo;
  [LiveEvent.PeersChanged]: PeersChangedEvent;
  [LiveEvent.NewProducer]: ProducerInfo;
  [LiveEvent.ProducerClosed]: ProducerRef;
  [LiveEvent.ProducerPaused]: ProducerRef;
  [LiveEvent.ProducerResumed]: ProducerRef;
  [LiveEvent.ConsumerClosed]: ConsumerRef;
  [LiveEvent.ConsumerLayers]: ConsumerLayersEvent;
  [LiveEvent.HandsChanged]: HandQueue;
  [LiveEvent.ChatPosted]: ChatMessage;
  [LiveEvent.QualityChanged]: QualityEvent;
  [LiveEvent.ReceptionChanged]: ReceptionEvent;
  [LiveEvent.Rebuild]: SessionRef;
  [LiveEvent.SeatTaken]: SeatTakenEvent;
}

export type LiveEventName = keyof LiveEvents;

/** The socket.io event maps, for `Socket<…>` on both ends. */
export type LiveServerToClient = { [E in LiveEventName]: (payload: LiveEvents[E]) => void };
export type LiveClientToServer = { [M in LiveMessageName]: (body: LiveRequests[M]['req'], ack: (result: LiveAck<LiveRequests[M]['res']>) => void) => void };
