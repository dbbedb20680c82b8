import { BadRequestException, ConflictException, Inject, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { types } from 'mediasoup';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_NAMESPACE,
  LiveMessage,
  type LiveAck,
  type LiveClientToServer,
  type LiveMessageName,
  type LiveRequests,
  type LiveServerToClient,
} from '../contracts/live.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Authenticator } from '../auth/authenticator.js';
import { createValidationPipe } from '../common/validation.js';
import { UsersService } from '../schools/users.service.js';
import { LiveExceptionFilter } from './live-exception.filter.js';
import {
  ChatDto,
  ClassroomRefDto,
  ConnectTransportDto,
  ConsumeDto,
  ConsumerRefDto,
  CreateTransportDto,
  ProduceDto,
  ProducerRefDto,
  SessionRefDto,
  LinkStatsDto,
  SetLayersDto,
  TransportRefDto,
} from './live.dto.js';
import { LiveNotifier } from './live-notifier.js';
import { LiveService, type Seat } from './live.service.js';
import { LiveRateLimitGuard } from './message-limits.js';
import { SocketQueueInterceptor } from './socket-queue.js';
import { TURN_CREDENTIALS, type TurnCredentials } from './turn.js';

interface LiveSocketData {
  user: AuthUser;
  /** Its place in the class it joined: handlers call the class and the peer directly. */
  seat?: Seat;
}

type LiveSocket = Socket<LiveClientToServer, LiveServerToClient, Record<string, never>, LiveSocketData>;
/** A handler's acknowledgement, typed by the message it answers. */
type Ack<M extends LiveMessageName> = Promise<LiveAck<LiveRequests[M]['res']>>;

const classroomChannel = (id: number) => `classroom:${id}`;
const sessionChannel = (id: number) => `session:${id}`;
/** The classrooms of a class, who get the class's peer changes batched. */
const audienceChannel = (id: number) => `session:${id}:classrooms`;
const userChannel = (id: number) => `user:${id}`;

/**
 * Live-class signaling. The access token is checked in the handshake, by socket.io middleware: a bad one
 * never connects and the client's connect_error says why. (Checking in handleConnection instead, as the
 * house style suggests, races: socket.io delivers messages before an async handleConnection has finished.)
 * Each message has its own handler and DTO, and is acknowledged with a LiveAck.
 * A classroom device's socket listens on its classroom's channel, so its "today" page hears the moment a
 * class it is booked on starts.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, maxHttpBufferSize: 64 * 1024 })
@UseFilters(new LiveExceptionFilter())
@UseGuards(LiveRateLimitGuard)
@UseInterceptors(SocketQueueInterceptor)
@UsePipes(createValidationPipe({ exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => Object.values(e.constraints ?? {}))) }))
export class LiveGateway implements OnGatewayInit, OnGatewayDisconnect {
  constructor(
    private readonly live: LiveService,
    private readonly notifier: LiveNotifier,
    private readonly authenticator: Authenticator,
    private readonly users: UsersService,
    @Inject(TURN_CREDENTIALS) private readonly turn: TurnCredentials,
  ) {}

  afterInit(namespace: Namespace): void {
    this.notifier.attach({
      toClass: (sessionId, event, payload, exceptPeerId) => {
        const target = namespace.to(sessionChannel(sessionId));
        (exceptPeerId ? target.except(exceptPeerId) : target).emit(event, payload);
      },
      toAudience: (sessionId, event, payload) => void namespace.to(audienceChannel(sessionId)).emit(event, payload),
      toPeer: (peerId, event, payload) => void namespace.to(peerId).emit(event, payload),
      // A moment later, so that what was just sent to it arrives first.
      disconnectPeer: (peerId) => void setTimeout(() => namespace.in(peerId).disconnectSockets(true), 500).unref(),
      toClassrooms: (ids, event, payload) => {
        for (const id of ids) namespace.to(classroomChannel(id)).emit(event, payload);
      },
    });
    // Logging out, a new password or deactivation ends the account's open sockets too (within the second).
    this.users.onTokensRevoked((userId) => namespace.in(userChannel(userId)).disconnectSockets(true));
    namespace.use((socket, next) => {
      this.authenticate(socket as LiveSocket).then(
        () => next(),
        (e: Error) => next(e),
      );
    });
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const user = typeof token === 'string' ? await this.authenticator.authenticate(token) : null;
    if (!user) throw new Error(token ? 'Your session is invalid or has expired; please log in again' : 'Please log in first');
    socket.data = { user };
    await socket.join(userChannel(user.id));
    if (user.classroomId) await socket.join(classroomChannel(user.classroomId));
  }

  handleDisconnect(socket: LiveSocket): void {
    const seat = socket.data.seat;
    socket.data.seat = undefined;
    if (seat) void seat.live.leave(seat.peer.id);
  }

  /** The socket's place in its class; gone when it left, its seat was taken, or the media was rebuilt. */
  private seat(socket: LiveSocket): Seat {
    const seat = socket.data.seat;
    if (!seat || seat.live.peers.get(seat.peer.id) !== seat.peer) throw new ConflictException('Join the class first');
    return seat;
  }

  @SubscribeMessage(LiveMessage.StartClass)
  async start(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Ack<typeof LiveMessage.StartClass> {
    return ok(await this.live.start(socket.data.user, body.sessionId));
  }

  @SubscribeMessage(LiveMessage.Join)
  async join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Ack<typeof LiveMessage.Join> {
    const previous = socket.data.seat;
    if (previous && previous.live.sessionId !== body.sessionId) {
      socket.data.seat = undefined;
      await previous.live.leave(previous.peer.id);
      await socket.leave(sessionChannel(previous.live.sessionId));
      await socket.leave(audienceChannel(previous.live.sessionId));
    }
    // In the class's channel before the join is computed: media the teacher starts meanwhile is announced to this
    // socket too (it was missed when the channel was joined after, and the classroom never received her camera).
    await socket.join(sessionChannel(body.sessionId));
    try {
      // Sent to a node (`?node=`) but routed here: the proxy can't reach that node, so this one won't send it there again.
      const sentTo = socket.handshake.query.node;
      const { seat, result } = await this.live.join(socket.data.user, socket.id, body.sessionId, typeof sentTo === 'string' ? sentTo : undefined);
      socket.data.seat = seat;
      if (result.role === 'classroom') await socket.join(audienceChannel(body.sessionId));
      return ok(result);
    } catch (e) {
      await socket.leave(sessionChannel(body.sessionId));
      throw e;
    }
  }

  @SubscribeMessage(LiveMessage.Leave)
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Ack<typeof LiveMessage.Leave> {
    const seat = socket.data.seat;
    if (seat?.live.sessionId === body.sessionId) {
      socket.data.seat = undefined;
      await seat.live.leave(seat.peer.id);
    }
    await socket.leave(sessionChannel(body.sessionId));
    await socket.leave(audienceChannel(body.sessionId));
    return ok({ sessionId: body.sessionId });
  }

  @SubscribeMessage(LiveMessage.EndClass)
  async end(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Ack<typeof LiveMessage.EndClass> {
    await this.live.end(socket.data.user, body.sessionId);
    return ok({ sessionId: body.sessionId });
  }

  @SubscribeMessage(LiveMessage.CreateTransport)
  async createTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: CreateTransportDto): Ack<typeof LiveMessage.CreateTransport> {
    const { live, peer } = this.seat(socket);
    return ok(await live.createTransport(peer, body.direction, this.turn(peer.user.id)));
  }

  @SubscribeMessage(LiveMessage.ConnectTransport)
  async connectTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConnectTransportDto): Ack<typeof LiveMessage.ConnectTransport> {
    await this.seat(socket).peer.connectTransport(body.transportId, body.dtlsParameters as unknown as types.DtlsParameters);
    return ok({ transportId: body.transportId });
  }

  @SubscribeMessage(LiveMessage.RestartIce)
  async restartIce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: TransportRefDto): Ack<typeof LiveMessage.RestartIce> {
    return ok({ iceParameters: await this.seat(socket).peer.restartIce(body.transportId) });
  }

  @SubscribeMessage(LiveMessage.Produce)
  async produce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProduceDto): Ack<typeof LiveMessage.Produce> {
    const { live, peer } = this.seat(socket);
    return ok({ producerId: (await live.produce(peer, body)).id });
  }

  @SubscribeMessage(LiveMessage.PauseProducer)
  async pauseProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Ack<typeof LiveMessage.PauseProducer> {
    const { live, peer } = this.seat(socket);
    await live.producerAction(peer, body.producerId, 'pause');
    return ok({ producerId: body.producerId });
  }

  @SubscribeMessage(LiveMessage.ResumeProducer)
  async resumeProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Ack<typeof LiveMessage.ResumeProducer> {
    const { live, peer } = this.seat(socket);
    await live.producerAction(peer, body.producerId, 'resume');
    return ok({ producerId: body.producerId });
  }

  @SubscribeMessage(LiveMessage.CloseProducer)
  async closeProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Ack<typeof LiveMessage.CloseProducer> {
    const { live, peer } = this.seat(socket);
    await live.producerAction(peer, body.producerId, 'close');
    return ok({ producerId: body.producerId });
  }

  @SubscribeMessage(LiveMessage.Consume)
  async consume(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConsumeDto): Ack<typeof LiveMessage.Consume> {
    const { live, peer } = this.seat(socket);
    return ok(await live.consume(peer, body));
  }

  @SubscribeMessage(LiveMessage.ResumeConsumer)
  async resumeConsumer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConsumerRefDto): Ack<typeof LiveMessage.ResumeConsumer> {
    await this.seat(socket).peer.consumer(body.consumerId).resume();
    return ok({ consumerId: body.consumerId });
  }

  @SubscribeMessage(LiveMessage.SetPreferredLayers)
  async setLayers(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SetLayersDto): Ack<typeof LiveMessage.SetPreferredLayers> {
    const consumer = this.seat(socket).peer.consumer(body.consumerId);
    if (consumer.kind !== 'video') throw new BadRequestException('Layers apply to video only');
    await consumer.setPreferredLayers({ spatialLayer: body.spatialLayer, temporalLayer: body.temporalLayer });
    return ok({ consumerId: body.consumerId });
  }

  @SubscribeMessage(LiveMessage.RaiseHand)
  async raiseHand(@ConnectedSocket() socket: LiveSocket): Ack<typeof LiveMessage.RaiseHand> {
    const { live, peer } = this.seat(socket);
    await live.hand(peer, true);
    return ok(true as const);
  }

  @SubscribeMessage(LiveMessage.LowerHand)
  async lowerHand(@ConnectedSocket() socket: LiveSocket): Ack<typeof LiveMessage.LowerHand> {
    const { live, peer } = this.seat(socket);
    await live.hand(peer, false);
    return ok(true as const);
  }

  @SubscribeMessage(LiveMessage.GrantFloor)
  grantFloor(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ClassroomRefDto): Ack<typeof LiveMessage.GrantFloor> {
    const { live, peer } = this.seat(socket);
    live.giveFloor(peer, body.classroomId, true);
    return Promise.resolve(ok({ classroomId: body.classroomId }));
  }

  @SubscribeMessage(LiveMessage.RevokeFloor)
  revokeFloor(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ClassroomRefDto): Ack<typeof LiveMessage.RevokeFloor> {
    const { live, peer } = this.seat(socket);
    live.giveFloor(peer, body.classroomId, false);
    return Promise.resolve(ok({ classroomId: body.classroomId }));
  }

  @SubscribeMessage(LiveMessage.ReportStats)
  async reportStats(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: LinkStatsDto): Ack<typeof LiveMessage.ReportStats> {
    const { live, peer } = this.seat(socket);
    return ok(await live.reportStats(peer, body));
  }

  @SubscribeMessage(LiveMessage.SendChat)
  async chat(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ChatDto): Ack<typeof LiveMessage.SendChat> {
    return ok(await this.live.postChat(socket.data.user, this.seat(socket), body));
  }
}

function ok<T>(data: T): LiveAck<T> {
  return { ok: true, data };
}
