import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { types } from 'mediasoup';
import {
  LiveEvent,
  type ChatMessage,
  type ConsumerInfo,
  type ConsumerLayersEvent,
  type JoinResult,
  type LinkQuality,
  type MediaSource,
  type ReceptionEvent,
  type SeatTakenEvent,
  type SessionLiveEvent,
  type StartClassResult,
  type TransportInfo,
} from '../contracts/live.js';
import type { AuthUser } from '../auth/auth-user.js';
import { RecordingsService } from '../recordings/recordings.service.js';
import { localSpan } from '../scheduling/schedule-errors.js';
import { AttendanceRepository } from '../scheduling/attendance.repository.js';
import { SessionRepository, type SessionCore } from '../scheduling/session.repository.js';
import { ChatRepository } from './chat.repository.js';
import { ClassRegistry } from './class-registry.js';
import { receptionOf } from './reception.js';
import type { LiveClass, Peer } from './live-class.js';
import type { ChatDto, ConnectTransportDto, ConsumeDto, LinkStatsDto, ProduceDto, SetLayersDto } from './live.dto.js';
import { WorkerPool } from './sfu/worker-pool.js';
import { TURN_CREDENTIALS, type TurnCredentials } from './turn.js';

export const LIVE_START_WINDOW_MS = Symbol('LIVE_START_WINDOW_MS');
export const LIVE_RECONNECT_GRACE_MS = Symbol('LIVE_RECONNECT_GRACE_MS');
const MAX_PRODUCERS_PER_PEER = 3;
/** A class has one teacher's three media and a talking classroom's two: far below this. */
const MAX_CONSUMERS_PER_PEER = 24;
const RECEIVER_SEATS = 3;

/** How the service reaches sockets; the gateway provides it. */
export interface LiveNotifier {
  toClass(sessionId: number, event: string, payload: unknown, exceptPeerId?: string): void;
  toPeer(peerId: string, event: string, payload: unknown): void;
  toClassrooms(classroomIds: number[], event: string, payload: unknown): void;
  /** Closes the peer's socket (after what was sent to it has gone out). */
  disconnectPeer(peerId: string): void;
}

/** What the server keeps on each consumer. */
interface ConsumerAppData {
  [key: string]: unknown;
  source: MediaSource;
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

/** Opening, joining and running live classes, with every action decided by the schedule and the floor. */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private sweeper?: NodeJS.Timeout;
  private notifier: LiveNotifier = { toClass: () => {}, toPeer: () => {}, toClassrooms: () => {}, disconnectPeer: () => {} };

  constructor(
    private readonly sessions: SessionRepository,
    private readonly classes: ClassRegistry,
    private readonly pool: WorkerPool,
    private readonly chat: ChatRepository,
    private readonly attendance: AttendanceRepository,
    @Inject(LIVE_START_WINDOW_MS) private readonly startWindowMs: number,
    @Inject(LIVE_RECONNECT_GRACE_MS) private readonly graceMs: number,
    @Inject(TURN_CREDENTIALS) private readonly turn: TurnCredentials,
    private readonly recordings: RecordingsService,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch((e: Error) => this.logger.error(`sweep: ${e.message}`)), 60_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  attach(notifier: LiveNotifier): void {
    this.notifier = notifier;
  }

  /**
   * Closes the classes that ran past their end by more than the grace period with their teacher gone (a
   * teacher who forgot to press "end", or whose connection died at the end of the lesson). Run every minute.
   */
  async sweep(now = new Date()): Promise<number[]> {
    const ended: number[] = [];
    for (const live of await this.classes.all()) {
      if ([...live.peers.values()].some((p) => p.role === 'teacher')) continue;
      const core = await this.sessions.findCore(live.sessionId);
      if (!core || core.status !== 'live' || now.getTime() < core.endsAt.getTime() + this.graceMs) continue;
      this.logger.log(`session ${live.sessionId} ran past its end with its teacher gone: closing it`);
      await this.finish(live.sessionId);
      ended.push(live.sessionId);
    }
    return ended;
  }

  /** The session's teacher opens the class, from the start window before its start until its end. */
  async start(actor: AuthUser, sessionId: number, now = new Date()): Promise<StartClassResult> {
    const core = await this.requireSession(sessionId);
    if (!(actor.role === 'teacher' && actor.id === core.teacherId)) throw new ForbiddenException('Only the teacher of this session can start it');
    if (core.status === 'cancelled') throw new ConflictException(`Session ${sessionId} is cancelled`);
    if (core.status === 'ended') throw new ConflictException(`Session ${sessionId} has already ended`);
    if (core.status !== 'live') {
      const opens = core.startsAt.getTime() - this.startWindowMs;
      if (now.getTime() < opens || now >= core.endsAt) {
        throw new ConflictException(
          `Session ${sessionId} can be started from ${Math.round(this.startWindowMs / 60000)} minutes before ${localSpan(core.startsAt, core.endsAt, core.timezone)}`,
        );
      }
      await this.sessions.transaction((m) => this.sessions.setStatus(m, [sessionId], 'live'));
    }
    await this.openClass(core);
    // Told with the announcement, so a classroom can offer "watch live with rewind" at once.
    const recordingId = await this.recordings.recordingOf(sessionId);
    const event: SessionLiveEvent = { sessionId, title: core.title, startsAt: core.startsAt.toISOString(), endsAt: core.endsAt.toISOString(), recordingId };
    this.notifier.toClassrooms(await this.bookedClassrooms(sessionId), LiveEvent.SessionLive, event);
    return { sessionId, status: 'live' };
  }

  /** Who may be in the class: its teacher, the classrooms booked on it, admins as observers. */
  async join(actor: AuthUser, peerId: string, sessionId: number): Promise<JoinResult> {
    const core = await this.requireSession(sessionId);
    const { role, classroomId } = await this.roleIn(actor, core);
    if (core.status !== 'live') {
      throw new ConflictException(core.status === 'scheduled' ? `Session ${sessionId} has not started yet` : `Session ${sessionId} is ${core.status}`);
    }
    const live = await this.openClass(core);
    this.leaveClass(live, peerId);
    // A classroom or observer receives the teacher's microphone, camera and screen share; the teacher receives
    // only talk-back, counted when it happens.
    const seats = role === 'teacher' ? 0 : RECEIVER_SEATS;
    const peer: Peer = {
      id: peerId,
      user: actor,
      role,
      classroomId,
      seats,
      recvRouter: await live.room.routerForConsumer(seats),
      transports: new Map(),
      producers: new Map(),
      consumers: new Map(),
    };
    if (classroomId !== null) {
      const pending = live.leaving.get(classroomId);
      if (pending) {
        // Back within the grace period: its attendance runs on without a gap.
        clearTimeout(pending);
        live.leaving.delete(classroomId);
      } else if (live.peersOfClassroom(classroomId).length === 0) {
        await this.attendance.markJoined(sessionId, classroomId, new Date());
      }
    }
    live.peers.set(peerId, peer);
    this.notifier.toClass(sessionId, LiveEvent.PeerJoined, live.peerInfo(peer), peerId);
    // One seat per account and class: this connection takes it from any other of the same account (a second
    // tab, another machine), which is told why and closed. Removed after the new peer is in, so a classroom
    // keeps its raised hand or the floor and its attendance runs on.
    for (const old of [...live.peers.values()].filter((p) => p.user.id === actor.id && p.id !== peerId)) {
      const event: SeatTakenEvent = { sessionId, code: 'OPENED_ELSEWHERE', message: 'This class was opened on another device with the same account' };
      this.notifier.toPeer(old.id, LiveEvent.SeatTaken, event);
      this.leaveClass(live, old.id);
      this.notifier.disconnectPeer(old.id);
    }
    return {
      sessionId,
      role,
      peerId,
      self: live.peerInfo(peer),
      routerRtpCapabilities: live.room.rtpCapabilities,
      peers: [...live.peers.values()].filter((p) => p.id !== peerId).map((p) => live.peerInfo(p)),
      producers: live.producerInfos(peerId),
      hands: live.handQueue(),
      chat: await this.chat.recent(sessionId),
      receptions: live.receptionsFor(role, classroomId),
    };
  }

  async leave(peerId: string, sessionId: number | undefined): Promise<void> {
    const live = sessionId ? await this.classes.get(sessionId)?.catch(() => undefined) : undefined;
    if (live) this.leaveClass(live, peerId);
  }

  async end(actor: AuthUser, sessionId: number): Promise<void> {
    const core = await this.requireSession(sessionId);
    if (!(actor.role === 'admin' || (actor.role === 'teacher' && actor.id === core.teacherId))) {
      throw new ForbiddenException('Only the teacher of this session or an admin can end it');
    }
    if (core.status !== 'live') throw new ConflictException(`Session ${sessionId} is not live`);
    await this.finish(sessionId);
  }

  /** Ends a live class: the session is ended, everyone is told, attendance is closed, the room freed. */
  private async finish(sessionId: number): Promise<void> {
    await this.sessions.transaction((m) => this.sessions.setStatus(m, [sessionId], 'ended'));
    this.notifier.toClass(sessionId, LiveEvent.ClassEnded, { sessionId });
    const live = await this.classes.get(sessionId)?.catch(() => undefined);
    if (live) {
      const now = new Date();
      const present = new Set([...live.peers.values()].map((p) => p.classroomId).filter((c): c is number => c !== null));
      for (const [classroomId, timer] of live.leaving) {
        clearTimeout(timer);
        present.add(classroomId);
      }
      live.leaving.clear();
      for (const classroomId of present) await this.attendance.markLeft(sessionId, classroomId, now);
    }
    // The recorder closes its last segment while the teacher's media still exists; processing follows.
    await this.recordings.classEnded(sessionId).catch((e: Error) => this.logger.error(`recording of session ${sessionId}: ${e.message}`));
    await this.classes.close(sessionId);
    this.notifier.toClassrooms(await this.bookedClassrooms(sessionId), LiveEvent.SessionEnded, { sessionId });
  }

  async createTransport(peerId: string, sessionId: number | undefined, direction: 'send' | 'recv'): Promise<TransportInfo> {
    const { live, peer } = await this.peer(peerId, sessionId);
    if (direction === 'send' && peer.role === 'observer') throw new ForbiddenException('Observers only watch');
    for (const [id, t] of peer.transports) {
      if (t.direction === direction) {
        t.transport.close();
        peer.transports.delete(id);
      }
    }
    const roomRouter = direction === 'send' ? live.room.routerList()[0] : peer.recvRouter;
    const slot = await this.pool.slot(roomRouter.slotIndex);
    const transport = await roomRouter.router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { peerId, direction },
    });
    peer.transports.set(transport.id, { transport, direction });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: this.turn(peer.user.id),
    };
  }

  async connectTransport(peerId: string, sessionId: number | undefined, body: ConnectTransportDto): Promise<void> {
    const { transport } = await this.transport(peerId, sessionId, body.transportId);
    try {
      await transport.connect({ dtlsParameters: body.dtlsParameters as unknown as types.DtlsParameters });
    } catch (e) {
      throw new BadRequestException(`The transport could not be connected: ${(e as Error).message}`);
    }
  }

  async restartIce(peerId: string, sessionId: number | undefined, transportId: string): Promise<{ iceParameters: unknown }> {
    const { transport } = await this.transport(peerId, sessionId, transportId);
    return { iceParameters: await transport.restartIce() };
  }

  /** The teacher always; a classroom only while it holds the floor; observers never. */
  async produce(peerId: string, sessionId: number | undefined, body: ProduceDto): Promise<{ producerId: string }> {
    const { live, peer } = await this.peer(peerId, sessionId);
    if (peer.role === 'observer') throw new ForbiddenException('Observers only watch');
    if (peer.role === 'classroom' && !live.holdsFloor(peer.classroomId)) {
      throw new ForbiddenException('A classroom talks back only while the teacher has given it the floor');
    }
    const { transport, direction } = await this.transport(peerId, sessionId, body.transportId);
    if (direction !== 'send') throw new BadRequestException('Produce on your send transport');
    if (peer.producers.size >= MAX_PRODUCERS_PER_PEER) throw new ConflictException(`At most ${MAX_PRODUCERS_PER_PEER} media at once`);
    let producer: types.Producer;
    try {
      producer = await transport.produce({
        kind: body.kind,
        rtpParameters: body.rtpParameters as unknown as types.RtpParameters,
        appData: { peerId, source: body.source },
        // Many classrooms asking for key frames at once would multiply the teacher's bitrate.
        keyFrameRequestDelay: 1000,
      });
    } catch (e) {
      throw new BadRequestException(`The media could not be accepted: ${(e as Error).message}`);
    }
    peer.producers.set(producer.id, { producer, source: body.source });
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      this.notifier.toClass(live.sessionId, LiveEvent.ProducerClosed, { producerId: producer.id });
      if (peer.role === 'teacher') this.recordTeacher(live);
    });
    await live.room.addProducer(producer);
    if (peer.role === 'teacher') this.recordTeacher(live);
    this.notifier.toClass(live.sessionId, LiveEvent.NewProducer, { producerId: producer.id, kind: producer.kind, source: body.source, peer: live.peerInfo(peer) }, peerId);
    return { producerId: producer.id };
  }

  async producerAction(peerId: string, sessionId: number | undefined, producerId: string, action: 'pause' | 'resume' | 'close'): Promise<void> {
    const { live, peer } = await this.peer(peerId, sessionId);
    const own = peer.producers.get(producerId);
    if (!own) throw new NotFoundException('No such media of yours in this class');
    if (action === 'close') {
      own.producer.close();
      return;
    }
    if (action === 'pause') await own.producer.pause();
    else await own.producer.resume();
    if (peer.role === 'teacher') this.recordTeacher(live);
    this.notifier.toClass(live.sessionId, action === 'pause' ? LiveEvent.ProducerPaused : LiveEvent.ProducerResumed, { producerId }, peerId);
  }

  async consume(peerId: string, sessionId: number | undefined, body: ConsumeDto): Promise<ConsumerInfo> {
    const { live, peer } = await this.peer(peerId, sessionId);
    const found = live.findProducer(body.producerId);
    if (!found || found.peer.id === peerId) throw new NotFoundException('No such media in this class');
    const recv = [...peer.transports.values()].find((t) => t.direction === 'recv');
    if (!recv) throw new ConflictException('Create a receive transport first');
    const router = peer.recvRouter.router;
    // On a router other than the origin, the teacher's media is a piped copy with an id of its own.
    const producerId = live.room.producerIdOn(peer.recvRouter, body.producerId);
    const rtpCapabilities = body.rtpCapabilities as unknown as types.RtpCapabilities;
    let ok: boolean;
    try {
      ok = router.canConsume({ producerId, rtpCapabilities });
    } catch {
      ok = false;
    }
    if (!ok) throw new BadRequestException("Your device can't receive this media (RTP capabilities don't match)");
    const info = (consumer: types.Consumer): ConsumerInfo => ({
      id: consumer.id,
      producerId: body.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      source: found.source,
      peer: live.peerInfo(found.peer),
      producerPaused: consumer.producerPaused,
    });
    // One consumer per peer and media: asking again (a retry, a second tab's race) gets the same one.
    const existing = [...peer.consumers.values()].find((c) => c.producerId === producerId && !c.closed);
    if (existing) return info(existing);
    if (peer.consumers.size >= MAX_CONSUMERS_PER_PEER) {
      throw new ConflictException(`One connection receives at most ${MAX_CONSUMERS_PER_PEER} media at once`);
    }
    const fromTeacher = found.peer.role === 'teacher';
    const appData: ConsumerAppData = { source: found.source, fromTeacher, layersKnown: false, noLayer: false, noLayerSince: 0 };
    // enableRtx for audio too: with NACK for Opus in the receiver's capabilities, a lost voice packet is resent
    // to a classroom on a lossy link rather than concealed (mediasoup leaves it off for audio by default).
    const consumer = await recv.transport.consume({ producerId, rtpCapabilities, paused: true, appData, enableRtx: true });
    peer.consumers.set(consumer.id, consumer);
    live.room.trackConsumer(peer.recvRouter, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => this.notifier.toPeer(peerId, LiveEvent.ConsumerClosed, { consumerId: consumer.id }));
    // Bandwidth adaptation: on a weak link mediasoup's estimate lowers the simulcast layer of each video consumer;
    // audio is never dropped, and of the videos the lesson's screen share keeps its share of the link first.
    if (consumer.kind === 'video') {
      await consumer.setPriority(found.source === 'screen' ? 3 : found.peer.role === 'teacher' ? 2 : 1);
      consumer.on('layerschange', (layers) => {
        const event: ConsumerLayersEvent = { consumerId: consumer.id, spatialLayer: layers?.spatialLayer ?? null, temporalLayer: layers?.temporalLayer ?? null };
        this.notifier.toPeer(peerId, LiveEvent.ConsumerLayers, event);
        appData.layersKnown = true;
        if (!layers && !appData.noLayer) {
          appData.noLayerSince = Date.now();
          setTimeout(() => this.noteReception(live, peer), RECEPTION_CUT_HOLD_MS + 50).unref();
        }
        appData.noLayer = !layers;
        this.noteReception(live, peer);
      });
      if (fromTeacher) {
        consumer.on('producerpause', () => this.noteReception(live, peer));
        consumer.on('producerresume', () => this.noteReception(live, peer));
      }
    }
    return info(consumer);
  }

  async resumeConsumer(peerId: string, sessionId: number | undefined, consumerId: string): Promise<void> {
    await (await this.consumer(peerId, sessionId, consumerId)).resume();
  }

  async setPreferredLayers(peerId: string, sessionId: number | undefined, body: SetLayersDto): Promise<void> {
    const consumer = await this.consumer(peerId, sessionId, body.consumerId);
    if (consumer.kind !== 'video') throw new BadRequestException('Layers apply to video only');
    await consumer.setPreferredLayers({ spatialLayer: body.spatialLayer, temporalLayer: body.temporalLayer });
  }

  async hand(peerId: string, sessionId: number | undefined, up: boolean): Promise<void> {
    const { live, peer } = await this.peer(peerId, sessionId);
    if (peer.role !== 'classroom' || peer.classroomId === null) throw new ForbiddenException('Only classrooms raise hands');
    if (up) live.raiseHand(peer.classroomId);
    else live.lowerHand(peer.classroomId);
    this.notifier.toClass(live.sessionId, LiveEvent.HandsChanged, live.handQueue());
  }

  /** Teacher only: lets one classroom talk back; whoever held the floor before loses it (and its media). */
  async floor(peerId: string, sessionId: number | undefined, classroomId: number, grant: boolean): Promise<void> {
    const { live, peer } = await this.peer(peerId, sessionId);
    if (peer.role !== 'teacher') throw new ForbiddenException('Only the teacher gives or takes the floor');
    if (grant) {
      if (live.peersOfClassroom(classroomId).length === 0) throw new ConflictException(`Classroom ${classroomId} is not in the class`);
      const previous = live.grantFloor(classroomId);
      if (previous !== null) this.closeClassroomMedia(live, previous);
    } else {
      if (!live.revokeFloor(classroomId)) throw new ConflictException(`Classroom ${classroomId} does not hold the floor`);
      this.closeClassroomMedia(live, classroomId);
    }
    this.notifier.toClass(live.sessionId, LiveEvent.HandsChanged, live.handQueue());
  }

  async postChat(actor: AuthUser, peerId: string, sessionId: number | undefined, body: ChatDto): Promise<ChatMessage> {
    const { live, peer } = await this.peer(peerId, sessionId);
    const message = await this.chat.post(live.sessionId, actor.id, peer.classroomId, body.kind, body.text);
    this.notifier.toClass(live.sessionId, LiveEvent.ChatPosted, message);
    return message;
  }

  /** The classroom a device account stands for (its socket joins that classroom's channel). */
  classroomOfDevice(userId: number): Promise<number | null> {
    return this.sessions.classroomOfDevice(userId);
  }

  private closeClassroomMedia(live: LiveClass, classroomId: number): void {
    for (const p of live.peersOfClassroom(classroomId)) for (const { producer } of [...p.producers.values()]) producer.close();
  }

  /** A classroom's link report: folded into its summary, saved with its attendance, shown to the teacher. */
  async reportStats(peerId: string, sessionId: number | undefined, stats: LinkStatsDto): Promise<LinkQuality> {
    const { live, peer } = await this.peer(peerId, sessionId);
    if (peer.role !== 'classroom' || peer.classroomId === null) throw new ForbiddenException('Only classrooms report link quality');
    const quality = live.addStats(peer.classroomId, stats);
    await this.attendance.setQuality(live.sessionId, peer.classroomId, quality);
    for (const p of live.peers.values()) {
      if (p.role === 'teacher') this.notifier.toPeer(p.id, LiveEvent.QualityChanged, { classroomId: peer.classroomId, quality });
    }
    return quality;
  }

  private leaveClass(live: LiveClass, peerId: string): void {
    const hadFloorOrHand = live.handQueue();
    const peer = live.removePeer(peerId);
    if (!peer) return;
    if (peer.classroomId !== null && live.peersOfClassroom(peer.classroomId).length === 0) {
      // Its last device left: it is counted as gone only if it isn't back within the grace period.
      const classroomId = peer.classroomId;
      const leftAt = new Date();
      live.leaving.set(
        classroomId,
        setTimeout(() => {
          live.leaving.delete(classroomId);
          void this.attendance.markLeft(live.sessionId, classroomId, leftAt).catch((e: Error) => this.logger.error(`attendance: ${e.message}`));
        }, this.graceMs),
      );
    }
    this.notifier.toClass(live.sessionId, LiveEvent.PeerLeft, live.peerInfo(peer));
    const now = live.handQueue();
    if (now.floor !== hadFloorOrHand.floor || now.classroomIds.length !== hadFloorOrHand.classroomIds.length) {
      this.notifier.toClass(live.sessionId, LiveEvent.HandsChanged, now);
    }
  }

  /**
   * Works out what a classroom's link carries from its consumers of the teacher's videos, and tells the teacher,
   * observers and that classroom when it changes.
   */
  private noteReception(live: LiveClass, peer: Peer): void {
    if (peer.classroomId === null || !live.peers.has(peer.id)) return;
    const videos = [...peer.consumers.values()].flatMap((c) => {
      const data = c.appData as ConsumerAppData;
      if (c.kind !== 'video' || !data.fromTeacher || data.source === 'mic') return [];
      // A consumer without simulcast (a screen share of one layer) is always forwarded.
      const simulcast = c.type !== 'simple';
      return [
        {
          source: data.source,
          producerPaused: c.producerPaused,
          cut: simulcast && data.layersKnown && data.noLayer && Date.now() - data.noLayerSince >= RECEPTION_CUT_HOLD_MS,
          spatialLayer: simulcast ? (data.layersKnown ? c.currentLayers?.spatialLayer : undefined) : 0,
        },
      ];
    });
    const reception = receptionOf(videos);
    if (reception === null || live.receptions.get(peer.classroomId) === reception) return;
    live.receptions.set(peer.classroomId, reception);
    const event: ReceptionEvent = { classroomId: peer.classroomId, reception };
    for (const p of live.peers.values()) {
      if (p.role !== 'classroom' || p.classroomId === peer.classroomId) this.notifier.toPeer(p.id, LiveEvent.ReceptionChanged, event);
    }
  }

  /** The teacher's media, for the recorder. */
  private teacherSources(live: LiveClass) {
    return [...live.peers.values()].filter((p) => p.role === 'teacher').flatMap((p) => [...p.producers.values()]);
  }

  private recordTeacher(live: LiveClass): void {
    this.recordings.teacherMedia(live.sessionId, this.teacherSources(live));
  }

  private openClass(core: SessionCore): Promise<LiveClass> {
    return this.classes.open(core.id, core.teacherId, (live) => {
      void this.recordings
        .classStarted(core.id, () => live.room.originRouter, () => this.teacherSources(live))
        .catch((e: Error) => this.logger.error(`session ${core.id}: the recorder could not start: ${e.message}`));
      live.room.events.on('routersLost', (_lost, originLost) => {
        this.logger.warn(`session ${core.id}: a media worker died (${originLost ? 'the teacher\u2019s media too' : 'receivers only'}); clients rebuild`);
        // Every transport on a lost router is gone: peers re-join and rebuild from scratch. Hands and the floor
        // stay, so a classroom that was talking back sends again once it is back.
        for (const peer of [...live.peers.values()]) live.removePeer(peer.id, { keepPlace: true });
        this.notifier.toClass(core.id, LiveEvent.Rebuild, { sessionId: core.id });
        // One that doesn't come back within the grace period gives its place up.
        setTimeout(() => {
          const gone = live.absentWithPlace();
          if (gone.length === 0 || live.room.isClosed) return;
          for (const id of gone) {
            live.lowerHand(id);
            live.revokeFloor(id);
          }
          this.notifier.toClass(core.id, LiveEvent.HandsChanged, live.handQueue());
        }, this.graceMs).unref();
      });
    });
  }

  private async bookedClassrooms(sessionId: number): Promise<number[]> {
    return (await this.sessions.bookingsOf(sessionId)).map((b) => b.classroomId);
  }

  private async peer(peerId: string, sessionId: number | undefined): Promise<{ live: LiveClass; peer: Peer }> {
    const live = sessionId ? await this.classes.get(sessionId)?.catch(() => undefined) : undefined;
    const peer = live?.peers.get(peerId);
    if (!live || !peer) throw new ConflictException('Join the class first');
    return { live, peer };
  }

  private async transport(peerId: string, sessionId: number | undefined, transportId: string) {
    const { peer } = await this.peer(peerId, sessionId);
    const found = peer.transports.get(transportId);
    if (!found) throw new NotFoundException('No such transport of yours');
    return found;
  }

  private async consumer(peerId: string, sessionId: number | undefined, consumerId: string): Promise<types.Consumer> {
    const { peer } = await this.peer(peerId, sessionId);
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new NotFoundException('No such consumer of yours');
    return consumer;
  }

  private async roleIn(actor: AuthUser, core: SessionCore): Promise<{ role: 'teacher' | 'classroom' | 'observer'; classroomId: number | null }> {
    if (actor.role === 'teacher' && actor.id === core.teacherId) return { role: 'teacher', classroomId: null };
    if (actor.role === 'admin') return { role: 'observer', classroomId: null };
    if (actor.role === 'classroom') {
      const own = await this.sessions.classroomOfDevice(actor.id);
      if (own !== null && (await this.sessions.isBooked(core.id, own))) return { role: 'classroom', classroomId: own };
      throw new ForbiddenException(`This classroom is not booked on session ${core.id}`);
    }
    throw new ForbiddenException(`Only the session's teacher, its booked classrooms and admins may join session ${core.id}`);
  }

  private async requireSession(id: number): Promise<SessionCore> {
    const core = await this.sessions.findCore(id);
    if (!core) throw new NotFoundException(`Session ${id} does not exist`);
    return core;
  }
}
