import type { types } from 'mediasoup';
import type { AuthUser } from '../auth/auth-user.js';
import type { HandQueue, LinkQuality, LinkStats, LiveRole, MediaSource, PeerInfo, ProducerInfo, Reception, ReceptionEvent } from '../contracts/live.js';
import type { Room, RoomRouter } from './sfu/room.js';

export interface Peer {
  id: string;
  user: AuthUser;
  role: LiveRole;
  classroomId: number | null;
  /** The router this peer receives from (the room spreads consumers over routers). */
  recvRouter: RoomRouter;
  /** Consumers reserved for it on that router when it joined. */
  seats: number;
  transports: Map<string, { transport: types.WebRtcTransport; direction: 'send' | 'recv' }>;
  producers: Map<string, { producer: types.Producer; source: MediaSource }>;
  consumers: Map<string, types.Consumer>;
}

/** One live class: its media room, who is in it, the raised hands and who holds the floor. */
export class LiveClass {
  readonly peers = new Map<string, Peer>();
  private hands: number[] = [];
  private floor: number | null = null;
  private readonly quality = new Map<number, LinkQuality>();
  /** What each classroom's link carries now (see reception.ts). */
  readonly receptions = new Map<number, Reception>();
  /** Classrooms that dropped out and may come back within the grace period: their pending "left". */
  readonly leaving = new Map<number, NodeJS.Timeout>();

  constructor(
    readonly sessionId: number,
    readonly teacherId: number,
    readonly room: Room,
  ) {}

  peerInfo(p: Peer): PeerInfo {
    return { peerId: p.id, role: p.role, displayName: p.user.displayName, classroomId: p.classroomId };
  }

  producerInfos(exceptPeerId?: string): ProducerInfo[] {
    const out: ProducerInfo[] = [];
    for (const p of this.peers.values()) {
      if (p.id === exceptPeerId) continue;
      for (const { producer, source } of p.producers.values()) {
        out.push({ producerId: producer.id, kind: producer.kind, source, peer: this.peerInfo(p) });
      }
    }
    return out;
  }

  findProducer(producerId: string): { peer: Peer; producer: types.Producer; source: MediaSource } | undefined {
    for (const peer of this.peers.values()) {
      const found = peer.producers.get(producerId);
      if (found) return { peer, ...found };
    }
    return undefined;
  }

  /** What a joiner is told of the links: a teacher or observer, every classroom's; a classroom, its own. */
  receptionsFor(role: LiveRole, classroomId: number | null): ReceptionEvent[] {
    return [...this.receptions]
      .filter(([id]) => role !== 'classroom' || id === classroomId)
      .map(([id, reception]) => ({ classroomId: id, reception }));
  }

  handQueue(): HandQueue {
    return { classroomIds: [...this.hands], floor: this.floor };
  }

  raiseHand(classroomId: number): void {
    if (!this.hands.includes(classroomId) && this.floor !== classroomId) this.hands.push(classroomId);
  }

  lowerHand(classroomId: number): void {
    this.hands = this.hands.filter((id) => id !== classroomId);
  }

  /** Gives the floor to one classroom (taking it from any other); returns the one that lost it. */
  grantFloor(classroomId: number): number | null {
    const previous = this.floor !== classroomId ? this.floor : null;
    this.floor = classroomId;
    this.lowerHand(classroomId);
    return previous;
  }

  /** Classrooms with a raised hand or the floor but no device in the class. */
  absentWithPlace(): number[] {
    const ids = this.floor === null ? [...this.hands] : [this.floor, ...this.hands];
    return ids.filter((id) => this.peersOfClassroom(id).length === 0);
  }

  revokeFloor(classroomId: number): boolean {
    if (this.floor !== classroomId) return false;
    this.floor = null;
    return true;
  }

  holdsFloor(classroomId: number | null): boolean {
    return classroomId !== null && this.floor === classroomId;
  }

  peersOfClassroom(classroomId: number): Peer[] {
    return [...this.peers.values()].filter((p) => p.classroomId === classroomId);
  }

  /**
   * Closes a peer's transports, and with them its producers and consumers. A classroom's last device takes
   * its raised hand and its floor with it, unless `keepPlace` (the server rebuilt the media after a worker
   * died: the classroom comes straight back and must find its floor, and so talk back again).
   */
  removePeer(peerId: string, { keepPlace = false } = {}): Peer | undefined {
    const peer = this.peers.get(peerId);
    if (!peer) return undefined;
    this.peers.delete(peerId);
    this.room.release(peer.recvRouter, peer.seats);
    for (const { transport } of peer.transports.values()) transport.close();
    if (!keepPlace && peer.classroomId !== null && this.peersOfClassroom(peer.classroomId).length === 0) {
      this.lowerHand(peer.classroomId);
      this.revokeFloor(peer.classroomId);
    }
    return peer;
  }

  /** Folds one report into the classroom's running summary. */
  addStats(classroomId: number, s: LinkStats): LinkQuality {
    const q = this.quality.get(classroomId) ?? { samples: 0, avgBitrateKbps: 0, maxLossPct: 0, avgJitterMs: 0, framesDecoded: 0, grade: 'good' as const };
    const n = q.samples + 1;
    const next: LinkQuality = {
      samples: n,
      avgBitrateKbps: round(q.avgBitrateKbps + (s.bitrateKbps - q.avgBitrateKbps) / n),
      maxLossPct: round(Math.max(q.maxLossPct, s.lossPct)),
      avgJitterMs: round(q.avgJitterMs + (s.jitterMs - q.avgJitterMs) / n),
      framesDecoded: s.framesDecoded,
      grade: s.lossPct > 5 || s.jitterMs > 60 ? 'poor' : s.lossPct > 1 || s.jitterMs > 30 ? 'fair' : 'good',
    };
    this.quality.set(classroomId, next);
    return next;
  }

  close(): void {
    for (const timer of this.leaving.values()) clearTimeout(timer);
    this.leaving.clear();
    for (const id of [...this.peers.keys()]) this.removePeer(id);
    this.room.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
