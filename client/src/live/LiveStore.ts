import type { ChatMessage, HandQueue, LiveRole, MediaSource, PeerInfo, Reception } from '@contracts/live';

/** Where the page stands: `error` is a refusal that retrying can't change (not booked, not started). */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

/** How well the teacher's video arrives, from the receiver's packet loss. */
export type LinkQuality = 'good' | 'fair' | 'poor' | 'unknown';

/** The teacher-video layer a classroom asks for; `auto` lets the server follow the bandwidth up to the top. */
export type LayerChoice = 'auto' | 'medium' | 'low';

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

const NO_HANDS: HandQueue = { classroomIds: [], floor: null };
const MAX_CHAT = 500;

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

/** Thrown inside a join that was replaced meanwhile; never shown. */
export class Stale extends Error {}

export function mergeChat(current: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of more) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-MAX_CHAT);
}

/** The teacher's camera video: what the classroom screen shows full size and measures. */
export function isTeacherCamera(remote: RemoteTrack): boolean {
  return remote.peer.role === 'teacher' && remote.kind === 'video' && remote.source === 'camera';
}

/**
 * What the live pages show of one participant's class. React reads it through `subscribe` / `getSnapshot`
 * (useSyncExternalStore); every change makes a new immutable snapshot.
 */
export class LiveStore {
  private current: LiveState = initialState();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveState => this.current;

  get state(): LiveState {
    return this.current;
  }

  set(patch: Partial<LiveState>): void {
    this.current = { ...this.current, ...patch };
    this.notify();
  }

  /** Back to a fresh page's state (a new start). */
  reset(): void {
    this.current = initialState();
    this.notify();
  }

  /** Shows what went wrong, unless it only says that a join was replaced. */
  report(error: unknown): void {
    if (error instanceof Stale) return;
    this.set({ error });
  }

  private notify(): void {
    this.listeners.forEach((listener) => listener());
  }
}
