import type { MediaSource, PeerInfo } from '@contracts/live';
import type { LiveState, RemoteTrack } from '../../live/LiveStore';

export interface ClassroomPeer {
  classroomId: number;
  name: string;
}

/** The classrooms in the class, one each (a device that reconnected may briefly be listed twice). */
export function classroomsOf(peers: PeerInfo[]): ClassroomPeer[] {
  const byId = new Map<number, ClassroomPeer>();
  for (const peer of peers) {
    if (peer.role === 'classroom' && peer.classroomId !== null) {
      byId.set(peer.classroomId, { classroomId: peer.classroomId, name: peer.displayName });
    }
  }
  return [...byId.values()];
}

/** A classroom's name from the peers, or null when it isn't (or no longer) in the class. */
export function classroomName(peers: PeerInfo[], classroomId: number): string | null {
  return peers.find((peer) => peer.classroomId === classroomId)?.displayName ?? null;
}

type Who = { role: 'teacher' } | { classroomId: number | null };

function matches(remote: RemoteTrack, who: Who): boolean {
  return 'role' in who ? remote.peer.role === who.role : who.classroomId !== null && remote.peer.classroomId === who.classroomId;
}

/** Someone's track of one source: the teacher's camera, the floor classroom's microphone… */
export function trackOf(state: LiveState, who: Who, source: MediaSource): RemoteTrack | undefined {
  return state.remotes.find((remote) => remote.source === source && matches(remote, who));
}

/** The sound not already playing inside a shown video (whose stream carries the microphone too). */
export function otherAudio(state: LiveState, shown: (RemoteTrack | undefined)[]): RemoteTrack[] {
  const playing = new Set(shown.filter(Boolean).map((remote) => remote?.consumerId));
  return state.remotes.filter((remote) => remote.kind === 'audio' && !playing.has(remote.consumerId));
}
