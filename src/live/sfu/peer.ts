import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { types } from 'mediasoup';
import type { AuthUser } from '../../auth/auth-user.js';
import type { LiveRole, MediaSource, PeerInfo } from '../../contracts/live.js';
import type { RoomRouter } from './room.js';

/** A peer sends at most the teacher's three media: microphone, camera and screen share. */
export const MAX_PRODUCERS_PER_PEER = 3;
/** A classroom or observer receives the teacher's microphone, camera and screen share. */
export const RECEIVER_SEATS = 3;
/** A class has one teacher's three media and a talking classroom's two: far below this. */
export const MAX_CONSUMERS_PER_PEER = 24;

export type Direction = 'send' | 'recv';

export interface PeerTransport {
  transport: types.WebRtcTransport;
  direction: Direction;
}

export interface PeerProducer {
  producer: types.Producer;
  source: MediaSource;
}

export interface PeerIdentity {
  /** Its socket's id. */
  id: string;
  user: AuthUser;
  role: LiveRole;
  classroomId: number | null;
  /**
   * Set for a peer connected to another node of the class (see ClassPipes): this node holds it to list it, give it
   * the floor, and hold the media piped from it, none of which it sends or receives here.
   */
  remoteNode?: string;
}

/**
 * One connection in a class, on the media side: it owns its transports, producers and consumers, enforces their
 * limits (one transport per direction, three producers, one consumer per producer and at most 24), and closes them
 * all when it closes. What a peer may do in the lesson (the floor, the schedule) is decided before it is asked.
 */
export class Peer implements PeerIdentity {
  readonly id: string;
  readonly user: AuthUser;
  readonly role: LiveRole;
  readonly classroomId: number | null;
  readonly remoteNode?: string;
  readonly transports = new Map<string, PeerTransport>();
  readonly producers = new Map<string, PeerProducer>();
  readonly consumers = new Map<string, types.Consumer>();
  private closedFlag = false;

  constructor(
    identity: PeerIdentity,
    /** The router this peer receives from (the room spreads receivers over routers). */
    readonly recvRouter: RoomRouter,
    /** Consumers reserved for it on that router when it joined. */
    readonly seats: number,
  ) {
    ({ id: this.id, user: this.user, role: this.role, classroomId: this.classroomId, remoteNode: this.remoteNode } = identity);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  info(): PeerInfo {
    return { peerId: this.id, role: this.role, displayName: this.user.displayName, classroomId: this.classroomId };
  }

  /** A new transport for one direction; one made before for that direction is closed (the client rebuilt it). */
  async createTransport(direction: Direction, router: types.Router, webRtcServer: types.WebRtcServer): Promise<types.WebRtcTransport> {
    for (const [id, t] of this.transports) {
      if (t.direction === direction) {
        t.transport.close();
        this.transports.delete(id);
      }
    }
    const transport = await router.createWebRtcTransport({
      webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { peerId: this.id, direction },
    });
    if (this.closedFlag) {
      transport.close();
      throw new ConflictException('Join the class first');
    }
    this.transports.set(transport.id, { transport, direction });
    return transport;
  }

  transport(transportId: string): PeerTransport {
    const found = this.transports.get(transportId);
    if (!found) throw new NotFoundException('No such transport of yours');
    return found;
  }

  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    try {
      await this.transport(transportId).transport.connect({ dtlsParameters });
    } catch (e) {
      if (e instanceof NotFoundException) throw e;
      throw new BadRequestException(`The transport could not be connected: ${(e as Error).message}`);
    }
  }

  restartIce(transportId: string): Promise<types.IceParameters> {
    return this.transport(transportId).transport.restartIce();
  }

  async produce(transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters, source: MediaSource): Promise<types.Producer> {
    const { transport, direction } = this.transport(transportId);
    if (direction !== 'send') throw new BadRequestException('Produce on your send transport');
    if (this.producers.size >= MAX_PRODUCERS_PER_PEER) throw new ConflictException(`At most ${MAX_PRODUCERS_PER_PEER} media at once`);
    let producer: types.Producer;
    try {
      producer = await transport.produce({
        kind,
        rtpParameters,
        appData: { peerId: this.id, source },
        // Many classrooms asking for key frames at once would multiply the teacher's bitrate.
        keyFrameRequestDelay: 1000,
      });
    } catch (e) {
      throw new BadRequestException(`The media could not be accepted: ${(e as Error).message}`);
    }
    this.producers.set(producer.id, { producer, source });
    producer.observer.once('close', () => this.producers.delete(producer.id));
    return producer;
  }

  /** A producer piped here from this remote peer's node. */
  adopt(producer: types.Producer, source: MediaSource): void {
    this.producers.set(producer.id, { producer, source });
    producer.observer.once('close', () => this.producers.delete(producer.id));
  }

  ownProducer(producerId: string): PeerProducer {
    const own = this.producers.get(producerId);
    if (!own) throw new NotFoundException('No such media of yours in this class');
    return own;
  }

  /**
   * A consumer of `producerId` (its id on this peer's router) on the receive transport, created paused. One per
   * producer: asking again (a retry, a second tab's race) gets the same one, `created: false`.
   */
  async consume(producerId: string, rtpCapabilities: types.RtpCapabilities, appData: types.AppData): Promise<{ consumer: types.Consumer; created: boolean }> {
    const recv = [...this.transports.values()].find((t) => t.direction === 'recv');
    if (!recv) throw new ConflictException('Create a receive transport first');
    let ok: boolean;
    try {
      ok = this.recvRouter.router.canConsume({ producerId, rtpCapabilities });
    } catch {
      ok = false;
    }
    if (!ok) throw new BadRequestException("Your device can't receive this media (RTP capabilities don't match)");
    const existing = [...this.consumers.values()].find((c) => c.producerId === producerId && !c.closed);
    if (existing) return { consumer: existing, created: false };
    if (this.consumers.size >= MAX_CONSUMERS_PER_PEER) {
      throw new ConflictException(`One connection receives at most ${MAX_CONSUMERS_PER_PEER} media at once`);
    }
    // enableRtx for audio too: with NACK for Opus in the receiver's capabilities, a lost voice packet is resent
    // to a classroom on a lossy link rather than concealed (mediasoup leaves it off for audio by default).
    const consumer = await recv.transport.consume({ producerId, rtpCapabilities, paused: true, appData, enableRtx: true });
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    return { consumer, created: true };
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new NotFoundException('No such consumer of yours');
    return consumer;
  }

  /** Closes its transports, and with them its producers and consumers (and a remote peer's piped producers). */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
    for (const { producer } of [...this.producers.values()]) producer.close();
  }
}
