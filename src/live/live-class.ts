import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import type { types } from 'mediasoup';
import type { Clock, Timer } from '../common/clock.js';
import type { SessionCore } from '../scheduling/session.repository.js';
import {
  LiveEvent,
  type ChatMessage,
  type ConsumerInfo,
  type ConsumerLayersEvent,
  type LinkQuality,
  type LinkStats,
  type LiveRole,
  type MediaSource,
  type PeerInfo,
  type PeersChangedEvent,
  type ProducerInfo,
  type Reception,
  type ReceptionEvent,
  type TransportInfo,
} from '../contracts/live.js';
import { ClassEvents } from './class-events.js';
import { Floor } from './floor.js';
import { foldLinkStats } from './link-stats.js';
import type { LiveNotifier } from './live-notifier.js';
import type { ConsumeDto, ProduceDto } from './live.dto.js';
import { receptionOf } from './reception.js';
import { Peer, type Direction, type PeerIdentity, type PeerProducer } from './sfu/peer.js';
import type { Room } from './sfu/room.js';

/** What the server keeps on each consumer. */
interface ConsumerAppData {
  [key: string]: unknown;
  source: PeerProducer['source'];
  fromTeacher: boolean;
  /** mediasoup has chosen layers at least once, and whether it now sends none (the link can't carry the smallest). */
  layersKnown: boolean;
  noLayer: boolean;
  /** Since when mediasoup has sent no layer: a video counts as cut only once that has lasted RECEPTION_CUT_HOLD_MS. */
  noLayerSince: number;
}

/**
 * On a thin link mediasoup switches a video's smallest layer off and on from one second to the next (slides
 * arriving as stills do just that): a video counts as cut for the reception only after this long without a layer.
 */
const RECEPTION_CUT_HOLD_MS = 5000;
/** How often classrooms are told who joined and left. */
const PEER_CHANGES_EVERY_MS = 1000;
/** The chat a joiner gets: the latest 200 messages. */
export const CHAT_KEPT = 200;

/** How long a consume waits for media announced by another node to come through its pipe. */
const PIPED_ARRIVAL_MS = 3000;

/**
 * What a class does through the other nodes it spans (ClassPipes): an edge class (one whose home is another node)
 * reports its peers, hands and chat to the home and asks it before a classroom talks back; the home tells an edge
 * to close the media of a classroom that lost the floor.
 */
export interface ClassRemote {
  peerChanged(change: 'joined' | 'left', peer: PeerInfo, userId: number): void;
  hand(classroomId: number, up: boolean): Promise<void>;
  mayTalk(classroomId: number): Promise<boolean>;
  chat(message: ChatMessage): void;
  closeMedia(node: string, classroomId: number): void;
  /** At home: who joined and left, once a second, for the edges' lists of everyone in the class. */
  peersChanged(changes: PeersChangedEvent['changes']): void;
}

export interface LiveClassOptions {
  notifier: LiveNotifier;
  clock: Clock;
  /** How long a classroom keeps its raised hand or the floor after the media was rebuilt, if it isn't back. */
  graceMs: number;
  /** Set when the class's home is another node: this one is an edge, fed through pipes (see ClassPipes). */
  homeNode?: string;
  log: { warn(message: string): void; error(message: string): void };
}

/**
 * One live class: its media room, who is in it, the raised hands, the floor and the links' reception. It carries
 * out what its peers ask, within the floor's rules (who may send), tells the class, and emits its domain events
 * (`events`) for attendance and the recorder. Who may be in it is decided before, by the schedule (LiveService).
 */
export class LiveClass {
  readonly peers = new Map<string, Peer>();
  readonly floor = new Floor();
  readonly events: ClassEvents;
  /** The latest chat of the class, oldest first (what a joiner is shown), kept here so a join reads no database. */
  private readonly chat: ChatMessage[] = [];
  /** Its recording's id, once the recorder has started (null when the class isn't recorded). */
  recording: Promise<number | null> = Promise.resolve(null);
  private readonly quality = new Map<number, LinkQuality>();
  private peerChanges: PeersChangedEvent['changes'] = [];
  private peerChangesTimer?: Timer;
  /** What each classroom's link carries now (see reception.ts). */
  private readonly receptions = new Map<number, Reception>();
  private readonly notifier: LiveNotifier;
  private readonly clock: Clock;
  /** Consumes waiting for media piped from another node, by producer id. */
  private readonly arrivals = new Map<string, (() => void)[]>();
  /** The classrooms booked on the session, kept current while the class is open (a join reads no database). */
  booked = new Set<number>();
  /** What it does through the other nodes it spans; unset when it spans none. */
  remote?: ClassRemote;
  /** On an edge: everyone in the class as its home lists them (what a joiner here is told), by peer id. */
  private readonly homeRoster = new Map<string, PeerInfo>();

  readonly sessionId: number;
  readonly teacherId: number;
  /** The class's home when that is another node (this is an edge of it); null at home. */
  readonly homeNode: string | null;

  constructor(
    /** The session as it was when its class opened (live; its time can't change while it is). */
    readonly facts: SessionCore,
    readonly room: Room,
    private readonly options: LiveClassOptions,
  ) {
    this.sessionId = facts.id;
    this.teacherId = facts.teacherId;
    this.homeNode = options.homeNode ?? null;
    ({ notifier: this.notifier, clock: this.clock } = options);
    this.events = new ClassEvents((event, e) => options.log.error(`session ${facts.id}: ${event}: ${e.message}`));
    room.events.on('routersLost', (_lost, originLost) => this.rebuild(originLost));
  }

  // ---- who is in the class ----

  /** A peer joins: it is in the class, the class is told, and what follows a join (attendance) has run. */
  async admit(peer: Peer): Promise<void> {
    this.peers.set(peer.id, peer);
    this.tell(peer, 'joined');
    await this.events.emit('peerJoined', peer);
  }

  /**
   * Tells the class of a peer that joined or left: its teacher and observers at once (they list everyone), the
   * classrooms together once a second (PeersChanged), so that a storm of N joins is not N² messages.
   */
  private tell(peer: Peer, change: 'joined' | 'left'): void {
    const info = peer.info();
    // An edge's peers are told to the class by its home, which lists everyone.
    if (this.homeNode !== null) {
      if (!peer.remoteNode) this.remote?.peerChanged(change, info, peer.user.id);
      return;
    }
    for (const p of this.peers.values()) {
      if (p.role !== 'classroom' && p.id !== peer.id) this.notifier.toPeer(p.id, change === 'joined' ? LiveEvent.PeerJoined : LiveEvent.PeerLeft, info);
    }
    this.peerChanges.push({ change, peer: info });
    this.peerChangesTimer ??= this.clock.setTimeout(() => {
      this.peerChangesTimer = undefined;
      const changes = this.peerChanges;
      this.peerChanges = [];
      if (this.room.isClosed) return;
      this.notifier.toAudience(this.sessionId, LiveEvent.PeersChanged, { changes });
      this.remote?.peersChanged(changes);
    }, PEER_CHANGES_EVERY_MS);
  }

  /** A peer leaves for good: its media closes, and a classroom's last device takes its hand and floor with it. */
  async leave(peerId: string): Promise<void> {
    const before = this.floor.queue();
    const peer = this.remove(peerId);
    if (!peer) return;
    this.tell(peer, 'left');
    const now = this.floor.queue();
    if (now.floor !== before.floor || now.classroomIds.length !== before.classroomIds.length) {
      this.notifier.toClass(this.sessionId, LiveEvent.HandsChanged, now);
    }
    if (!peer.remoteNode) await this.events.emit('peerLeft', peer);
  }

  /**
   * One seat per account and class: the connection `peerId` takes it from any other of the same account (a second
   * tab, another machine, another node), which is told why and closed. Called after the new peer is in, so a
   * classroom keeps its raised hand or the floor and its attendance runs on.
   */
  async takeSeat(userId: number, peerId: string): Promise<void> {
    for (const old of [...this.peers.values()].filter((p) => p.user.id === userId && p.id !== peerId)) {
      const message = 'This class was opened on another device with the same account';
      this.notifier.toPeer(old.id, LiveEvent.SeatTaken, { sessionId: this.sessionId, code: 'OPENED_ELSEWHERE', message });
      await this.leave(old.id);
      this.notifier.disconnectPeer(old.id);
    }
  }

  /** At home: a peer of an edge node joined or left there; it is listed (and may get the floor) here. */
  async remotePeer(node: string, change: 'joined' | 'left', info: PeerInfo, userId: number): Promise<void> {
    if (change === 'left') {
      if (this.peers.get(info.peerId)?.remoteNode === node) await this.leave(info.peerId);
      return;
    }
    if (this.peers.has(info.peerId)) return;
    const peer = new Peer(standIn(info, node, userId), this.room.sendRouter, 0);
    this.peers.set(peer.id, peer);
    this.tell(peer, 'joined');
    // Its account's seat on any other node (or here) is taken: the home holds everyone's.
    await this.takeSeat(userId, peer.id);
  }

  /** The peers of a node that died or stopped being an edge of this class leave it. */
  async dropNode(node: string): Promise<void> {
    for (const p of [...this.peers.values()]) if (p.remoteNode === node) await this.leave(p.id);
  }

  /**
   * A producer piped here from another node: held by a stand-in of its owner (made for it on an edge, where the
   * teacher is not), spread over this room's routers, and announced to whoever follows (ClassPipes pipes it on).
   */
  async adopt(node: string, owner: PeerInfo, producer: types.Producer, source: MediaSource): Promise<void> {
    if (producer.closed) return;
    let peer = this.peers.get(owner.peerId);
    if (!peer) {
      peer = new Peer(standIn(owner, node), this.room.sendRouter, 0);
      this.peers.set(peer.id, peer);
      const holder = peer;
      // A stand-in made only to hold media goes with its last producer.
      producer.observer.once('close', () => {
        if (holder.producers.size === 0 && this.peers.get(holder.id) === holder) this.remove(holder.id);
      });
    }
    if (peer.remoteNode !== node) {
      producer.close();
      return;
    }
    peer.adopt(producer, source);
    await this.room.addProducer(producer);
    for (const arrived of this.arrivals.get(producer.id) ?? []) arrived();
    this.arrivals.delete(producer.id);
    await this.events.emit('producerAdded', producer, source, peer);
  }

  /** On an edge: the home's list of who is in the class, then its changes. */
  followRoster(changes: PeersChangedEvent['changes']): void {
    for (const { change, peer } of changes) {
      if (change === 'joined') this.homeRoster.set(peer.peerId, peer);
      else this.homeRoster.delete(peer.peerId);
    }
  }

  /** Who is in the class, for a joiner (`exceptPeerId`): here, and on an edge also those on the other nodes. */
  roster(exceptPeerId: string): PeerInfo[] {
    const all = new Map(this.homeRoster);
    for (const p of this.peers.values()) all.set(p.id, p.info());
    all.delete(exceptPeerId);
    return [...all.values()];
  }

  peersOfClassroom(classroomId: number): Peer[] {
    return [...this.peers.values()].filter((p) => p.classroomId === classroomId);
  }

  hasTeacher(): boolean {
    return [...this.peers.values()].some((p) => p.role === 'teacher');
  }

  producerInfos(exceptPeerId?: string): ProducerInfo[] {
    return [...this.peers.values()]
      .filter((p) => p.id !== exceptPeerId)
      .flatMap((p) => [...p.producers.values()].map(({ producer, source }) => ({ producerId: producer.id, kind: producer.kind, source, peer: p.info() })));
  }

  /** What a joiner is told of the links: a teacher or observer, every classroom's; a classroom, its own. */
  receptionsFor(role: LiveRole, classroomId: number | null): ReceptionEvent[] {
    return [...this.receptions].filter(([id]) => role !== 'classroom' || id === classroomId).map(([id, reception]) => ({ classroomId: id, reception }));
  }

  /** The teacher's media, for the recorder. */
  teacherSources(): PeerProducer[] {
    return [...this.peers.values()].filter((p) => p.role === 'teacher').flatMap((p) => [...p.producers.values()]);
  }

  // ---- media ----

  async createTransport(peer: Peer, direction: Direction, iceServers: TransportInfo['iceServers']): Promise<TransportInfo> {
    if (direction === 'send' && peer.role === 'observer') throw new ForbiddenException('Observers only watch');
    const router = direction === 'send' ? this.room.sendRouter : peer.recvRouter;
    const transport = await peer.createTransport(direction, router.router, await this.room.webRtcServerOf(router));
    const { id, iceParameters, iceCandidates, dtlsParameters } = transport;
    return { id, iceParameters, iceCandidates, dtlsParameters, iceServers };
  }

  /** The teacher always; a classroom only while it holds the floor; observers never. */
  async produce(peer: Peer, body: ProduceDto): Promise<types.Producer> {
    if (peer.role === 'observer') throw new ForbiddenException('Observers only watch');
    const mayTalk = (id: number | null) => (this.homeNode === null ? this.floor.holds(id) : id !== null && this.remote?.mayTalk(id));
    if (peer.role === 'classroom' && !(await mayTalk(peer.classroomId))) {
      throw new ForbiddenException('A classroom talks back only while the teacher has given it the floor');
    }
    const producer = await peer.produce(body.transportId, body.kind, body.rtpParameters as unknown as types.RtpParameters, body.source);
    producer.observer.once('close', () => {
      this.notifier.toClass(this.sessionId, LiveEvent.ProducerClosed, { producerId: producer.id });
      if (peer.role === 'teacher') void this.events.emit('teacherMediaChanged');
    });
    await this.room.addProducer(producer);
    await this.events.emit('producerAdded', producer, body.source, peer);
    if (peer.role === 'teacher') await this.events.emit('teacherMediaChanged');
    this.notifier.toClass(this.sessionId, LiveEvent.NewProducer, { producerId: producer.id, kind: producer.kind, source: body.source, peer: peer.info() }, peer.id);
    return producer;
  }

  async producerAction(peer: Peer, producerId: string, action: 'pause' | 'resume' | 'close'): Promise<void> {
    const { producer } = peer.ownProducer(producerId);
    if (action === 'close') return producer.close();
    if (action === 'pause') await producer.pause();
    else await producer.resume();
    if (peer.role === 'teacher') await this.events.emit('teacherMediaChanged');
    this.notifier.toClass(this.sessionId, action === 'pause' ? LiveEvent.ProducerPaused : LiveEvent.ProducerResumed, { producerId }, peer.id);
  }

  async consume(peer: Peer, body: ConsumeDto): Promise<ConsumerInfo> {
    const owner = this.ownerOf(body.producerId) ?? (await this.arrival(body.producerId));
    if (!owner || owner.id === peer.id) throw new NotFoundException('No such media in this class');
    const { source } = owner.producers.get(body.producerId)!;
    const fromTeacher = owner.role === 'teacher';
    const appData: ConsumerAppData = { source, fromTeacher, layersKnown: false, noLayer: false, noLayerSince: 0 };
    // On a router other than the origin, the teacher's media is a piped copy with an id of its own.
    const producerId = this.room.producerIdOn(peer.recvRouter, body.producerId);
    const { consumer, created } = await peer.consume(producerId, body.rtpCapabilities as unknown as types.RtpCapabilities, appData);
    const info: ConsumerInfo = {
      id: consumer.id,
      producerId: body.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      source,
      peer: owner.info(),
      producerPaused: consumer.producerPaused,
    };
    if (!created) return info;
    this.room.trackConsumer(peer.recvRouter, consumer);
    consumer.on('producerclose', () => this.notifier.toPeer(peer.id, LiveEvent.ConsumerClosed, { consumerId: consumer.id }));
    // Bandwidth adaptation: on a weak link mediasoup's estimate lowers the simulcast layer of each video consumer;
    // audio is never dropped, and of the videos the lesson's screen share keeps its share of the link first.
    if (consumer.kind === 'video') {
      await consumer.setPriority(source === 'screen' ? 3 : fromTeacher ? 2 : 1);
      consumer.on('layerschange', (layers) => {
        const event: ConsumerLayersEvent = { consumerId: consumer.id, spatialLayer: layers?.spatialLayer ?? null, temporalLayer: layers?.temporalLayer ?? null };
        this.notifier.toPeer(peer.id, LiveEvent.ConsumerLayers, event);
        appData.layersKnown = true;
        if (!layers && !appData.noLayer) {
          appData.noLayerSince = this.clock.now().getTime();
          this.clock.setTimeout(() => this.noteReception(peer), RECEPTION_CUT_HOLD_MS + 50);
        }
        appData.noLayer = !layers;
        this.noteReception(peer);
      });
      if (fromTeacher) {
        consumer.on('producerpause', () => this.noteReception(peer));
        consumer.on('producerresume', () => this.noteReception(peer));
      }
    }
    return info;
  }

  private ownerOf(producerId: string): Peer | undefined {
    return [...this.peers.values()].find((p) => p.producers.has(producerId));
  }

  /** Media announced by another node may still be on its way through the pipe: waits a moment for it. */
  private arrival(producerId: string): Promise<Peer | undefined> {
    if (this.remote === undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        resolve(this.ownerOf(producerId));
      };
      const timer = this.clock.setTimeout(() => {
        const waiting = this.arrivals.get(producerId);
        waiting?.splice(waiting.indexOf(done), 1);
        if (waiting?.length === 0) this.arrivals.delete(producerId);
        resolve(undefined);
      }, PIPED_ARRIVAL_MS);
      this.arrivals.set(producerId, [...(this.arrivals.get(producerId) ?? []), done]);
    });
  }

  // ---- chat ----

  recentChat(): ChatMessage[] {
    return [...this.chat];
  }

  /** Keeps a posted message among the latest CHAT_KEPT. */
  addChat(...messages: ChatMessage[]): void {
    this.chat.push(...messages);
    if (this.chat.length > CHAT_KEPT) this.chat.splice(0, this.chat.length - CHAT_KEPT);
  }

  // ---- the floor and the links ----

  async hand(peer: Peer, up: boolean): Promise<void> {
    if (peer.role !== 'classroom' || peer.classroomId === null) throw new ForbiddenException('Only classrooms raise hands');
    if (this.homeNode !== null) return this.remote?.hand(peer.classroomId, up);
    this.handOf(peer.classroomId, up);
  }

  /** At home: a classroom raises or lowers its hand (here, or on an edge). */
  handOf(classroomId: number, up: boolean): void {
    if (this.peersOfClassroom(classroomId).length === 0) throw new ConflictException(`Classroom ${classroomId} is not in the class`);
    if (up) this.floor.raiseHand(classroomId);
    else this.floor.lowerHand(classroomId);
    this.notifier.toClass(this.sessionId, LiveEvent.HandsChanged, this.floor.queue());
  }

  /** Teacher only: lets one classroom talk back; whoever held the floor before loses it (and its media). */
  giveFloor(peer: Peer, classroomId: number, grant: boolean): void {
    if (peer.role !== 'teacher') throw new ForbiddenException('Only the teacher gives or takes the floor');
    if (grant) {
      if (this.peersOfClassroom(classroomId).length === 0) throw new ConflictException(`Classroom ${classroomId} is not in the class`);
      const previous = this.floor.grant(classroomId);
      if (previous !== null) this.closeClassroomMedia(previous);
    } else {
      if (!this.floor.revoke(classroomId)) throw new ConflictException(`Classroom ${classroomId} does not hold the floor`);
      this.closeClassroomMedia(classroomId);
    }
    this.notifier.toClass(this.sessionId, LiveEvent.HandsChanged, this.floor.queue());
  }

  /** A classroom's link report, folded into its summary, shown to the teacher and saved with its attendance. */
  async reportStats(peer: Peer, stats: LinkStats): Promise<LinkQuality> {
    if (peer.role !== 'classroom' || peer.classroomId === null) throw new ForbiddenException('Only classrooms report link quality');
    const quality = foldLinkStats(this.quality.get(peer.classroomId), stats);
    this.quality.set(peer.classroomId, quality);
    for (const p of this.peers.values()) {
      if (p.role === 'teacher') this.notifier.toPeer(p.id, LiveEvent.QualityChanged, { classroomId: peer.classroomId, quality });
    }
    await this.events.emit('linkQuality', peer.classroomId, quality);
    return quality;
  }

  close(): void {
    this.clock.clearTimeout(this.peerChangesTimer);
    for (const id of [...this.peers.keys()]) this.remove(id);
    this.room.close();
    void this.events.emit('closed');
  }

  /** Closes what a classroom sends, here and on the edge nodes it is on. */
  closeClassroomMedia(classroomId: number): void {
    for (const p of this.peersOfClassroom(classroomId)) {
      for (const { producer } of [...p.producers.values()]) producer.close();
      if (p.remoteNode) this.remote?.closeMedia(p.remoteNode, classroomId);
    }
  }

  /**
   * Closes a peer's media. A classroom's last device takes its raised hand and its floor with it, unless
   * `keepPlace` (the server rebuilt the media after a worker died: the classroom comes straight back and must find
   * its floor, and so talk back again).
   */
  private remove(peerId: string, { keepPlace = false } = {}): Peer | undefined {
    const peer = this.peers.get(peerId);
    if (!peer) return undefined;
    this.peers.delete(peerId);
    this.room.release(peer.recvRouter, peer.seats);
    peer.close();
    if (!keepPlace && peer.classroomId !== null && this.peersOfClassroom(peer.classroomId).length === 0) this.floor.forget(peer.classroomId);
    return peer;
  }

  /** A media worker died: every transport on a lost router is gone, so peers re-join and rebuild from scratch. */
  private rebuild(originLost: boolean): void {
    this.options.log.warn(`session ${this.sessionId}: a media worker died (${originLost ? 'the teacher\u2019s media too' : 'receivers only'}); clients rebuild`);
    // Hands and the floor stay, so a classroom that was talking back sends again once it is back.
    for (const id of [...this.peers.keys()]) this.remove(id, { keepPlace: true });
    this.notifier.toClass(this.sessionId, LiveEvent.Rebuild, { sessionId: this.sessionId });
    // One that doesn't come back within the grace period gives its place up.
    this.clock.setTimeout(() => {
      const gone = this.floor.withPlace().filter((id) => this.peersOfClassroom(id).length === 0);
      if (gone.length === 0 || this.room.isClosed) return;
      for (const id of gone) this.floor.forget(id);
      this.notifier.toClass(this.sessionId, LiveEvent.HandsChanged, this.floor.queue());
    }, this.options.graceMs);
  }

  /**
   * Works out what a classroom's link carries from its consumers of the teacher's videos, and tells the teacher,
   * observers and that classroom when it changes.
   */
  private noteReception(peer: Peer): void {
    if (peer.classroomId === null || !this.peers.has(peer.id)) return;
    const now = this.clock.now().getTime();
    const videos = [...peer.consumers.values()].flatMap((c) => {
      const data = c.appData as ConsumerAppData;
      if (c.kind !== 'video' || !data.fromTeacher || data.source === 'mic') return [];
      // A consumer without simulcast (a screen share of one layer) is always forwarded.
      const simulcast = c.type !== 'simple';
      return [
        {
          source: data.source,
          producerPaused: c.producerPaused,
          cut: simulcast && data.layersKnown && data.noLayer && now - data.noLayerSince >= RECEPTION_CUT_HOLD_MS,
          spatialLayer: simulcast ? (data.layersKnown ? c.currentLayers?.spatialLayer : undefined) : 0,
        },
      ];
    });
    const reception = receptionOf(videos);
    if (reception === null || this.receptions.get(peer.classroomId) === reception) return;
    this.receptions.set(peer.classroomId, reception);
    const event: ReceptionEvent = { classroomId: peer.classroomId, reception };
    for (const p of this.peers.values()) {
      if (p.role !== 'classroom' || p.classroomId === peer.classroomId) this.notifier.toPeer(p.id, LiveEvent.ReceptionChanged, event);
    }
  }
}

/** A peer of another node as this node holds it: its identity, and its account's id (0: not known here). */
function standIn(info: PeerInfo, node: string, userId = 0): PeerIdentity {
  const user: AuthUser = { id: userId, email: '', displayName: info.displayName, role: info.role === 'observer' ? 'admin' : info.role, schoolId: null, classroomId: info.classroomId };
  return { id: info.peerId, user, role: info.role, classroomId: info.classroomId, remoteNode: node };
}
