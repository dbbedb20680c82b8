import { BadRequestException, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_NAMESPACE,
  LiveMessage,
  type ChatMessage,
  type ClassroomRef,
  type ConsumerInfo,
  type ConsumerRef,
  type JoinResult,
  type LinkQuality,
  type LiveAck,
  type ProducerRef,
  type SessionRef,
  type StartClassResult,
  type TransportInfo,
  type TransportRef,
} from '../contracts/live.js';
import type { AuthUser } from '../auth/auth-user.js';
import { TokenService } from '../auth/token.service.js';
import { createValidationPipe } from '../common/validation.js';
import { UserRepository } from '../schools/user.repository.js';
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
import { LiveService } from './live.service.js';
import { LiveRateLimitGuard } from './message-limits.js';
import { SocketQueueInterceptor } from './socket-queue.js';

interface LiveSocketData {
  user: AuthUser;
  classroomId: number | null;
  sessionId?: number;
}

type LiveSocket = Socket<Record<string, never>, Record<string, (payload: unknown) => void>, Record<string, never>, LiveSocketData>;

const classroomChannel = (id: number) => `classroom:${id}`;
const sessionChannel = (id: number) => `session:${id}`;
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
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {}

  afterInit(namespace: Namespace): void {
    this.live.attach({
      toClass: (sessionId, event, payload, exceptPeerId) => {
        const target = namespace.to(sessionChannel(sessionId));
        (exceptPeerId ? target.except(exceptPeerId) : target).emit(event, payload);
      },
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
    const user = typeof token === 'string' ? await this.tokens.userFor(token) : null;
    if (!user) throw new Error(token ? 'Your session is invalid or has expired; please log in again' : 'Please log in first');
    const classroomId = user.role === 'classroom' ? await this.live.classroomOfDevice(user.id) : null;
    socket.data = { user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, schoolId: user.schoolId }, classroomId };
    await socket.join(userChannel(user.id));
    if (classroomId) await socket.join(classroomChannel(classroomId));
  }

  handleDisconnect(socket: LiveSocket): void {
    void this.live.leave(socket.id, socket.data.sessionId);
  }

  @SubscribeMessage(LiveMessage.StartClass)
  async start(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<StartClassResult>> {
    return ok(await this.live.start(socket.data.user, body.sessionId));
  }

  @SubscribeMessage(LiveMessage.Join)
  async join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<JoinResult>> {
    if (socket.data.sessionId && socket.data.sessionId !== body.sessionId) {
      await this.live.leave(socket.id, socket.data.sessionId);
      await socket.leave(sessionChannel(socket.data.sessionId));
    }
    // In the class's channel before the join is computed: media the teacher starts meanwhile is announced to this
    // socket too (it was missed when the channel was joined after, and the classroom never received her camera).
    await socket.join(sessionChannel(body.sessionId));
    try {
      const result = await this.live.join(socket.data.user, socket.id, body.sessionId);
      socket.data.sessionId = body.sessionId;
      return ok(result);
    } catch (e) {
      await socket.leave(sessionChannel(body.sessionId));
      throw e;
    }
  }

  @SubscribeMessage(LiveMessage.Leave)
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<SessionRef>> {
    await this.live.leave(socket.id, body.sessionId);
    await socket.leave(sessionChannel(body.sessionId));
    if (socket.data.sessionId === body.sessionId) socket.data.sessionId = undefined;
    return ok({ sessionId: body.sessionId });
  }

  @SubscribeMessage(LiveMessage.EndClass)
  async end(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<SessionRef>> {
    await this.live.end(socket.data.user, body.sessionId);
    return ok({ sessionId: body.sessionId });
  }

  @SubscribeMessage(LiveMessage.CreateTransport)
  async createTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: CreateTransportDto): Promise<LiveAck<TransportInfo>> {
    return ok(await this.live.createTransport(socket.id, socket.data.sessionId, body.direction));
  }

  @SubscribeMessage(LiveMessage.ConnectTransport)
  async connectTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConnectTransportDto): Promise<LiveAck<TransportRef>> {
    await this.live.connectTransport(socket.id, socket.data.sessionId, body);
    return ok({ transportId: body.transportId });
  }

  @SubscribeMessage(LiveMessage.RestartIce)
  async restartIce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: TransportRefDto): Promise<LiveAck<{ iceParameters: unknown }>> {
    return ok(await this.live.restartIce(socket.id, socket.data.sessionId, body.transportId));
  }

  @SubscribeMessage(LiveMessage.Produce)
  async produce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProduceDto): Promise<LiveAck<ProducerRef>> {
    return ok(await this.live.produce(socket.id, socket.data.sessionId, body));
  }

  @SubscribeMessage(LiveMessage.PauseProducer)
  async pauseProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Promise<LiveAck<ProducerRef>> {
    await this.live.producerAction(socket.id, socket.data.sessionId, body.producerId, 'pause');
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.ResumeProducer)
  async resumeProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Promise<LiveAck<ProducerRef>> {
    await this.live.producerAction(socket.id, socket.data.sessionId, body.producerId, 'resume');
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.CloseProducer)
  async closeProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ProducerRefDto): Promise<LiveAck<ProducerRef>> {
    await this.live.producerAction(socket.id, socket.data.sessionId, body.producerId, 'close');
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.Consume)
  async consume(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConsumeDto): Promise<LiveAck<ConsumerInfo>> {
    return ok(await this.live.consume(socket.id, socket.data.sessionId, body));
  }

  @SubscribeMessage(LiveMessage.ResumeConsumer)
  async resumeConsumer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ConsumerRefDto): Promise<LiveAck<ConsumerRef>> {
    await this.live.resumeConsumer(socket.id, socket.data.sessionId, body.consumerId);
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.SetPreferredLayers)
  async setLayers(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SetLayersDto): Promise<LiveAck<ConsumerRef>> {
    await this.live.setPreferredLayers(socket.id, socket.data.sessionId, body);
    return ok({ consumerId: body.consumerId });
  }

  @SubscribeMessage(LiveMessage.RaiseHand)
  async raiseHand(@ConnectedSocket() socket: LiveSocket): Promise<LiveAck<true>> {
    await this.live.hand(socket.id, socket.data.sessionId, true);
    return ok(true);
  }

  @SubscribeMessage(LiveMessage.LowerHand)
  async lowerHand(@ConnectedSocket() socket: LiveSocket): Promise<LiveAck<true>> {
    await this.live.hand(socket.id, socket.data.sessionId, false);
    return ok(true);
  }

  @SubscribeMessage(LiveMessage.GrantFloor)
  async grantFloor(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ClassroomRefDto): Promise<LiveAck<ClassroomRef>> {
    await this.live.floor(socket.id, socket.data.sessionId, body.classroomId, true);
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.RevokeFloor)
  async revokeFloor(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ClassroomRefDto): Promise<LiveAck<ClassroomRef>> {
    await this.live.floor(socket.id, socket.data.sessionId, body.classroomId, false);
    return ok(body);
  }

  @SubscribeMessage(LiveMessage.ReportStats)
  async reportStats(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: LinkStatsDto): Promise<LiveAck<LinkQuality>> {
    return ok(await this.live.reportStats(socket.id, socket.data.sessionId, body));
  }

  @SubscribeMessage(LiveMessage.SendChat)
  async chat(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: ChatDto): Promise<LiveAck<ChatMessage>> {
    return ok(await this.live.postChat(socket.data.user, socket.id, socket.data.sessionId, body));
  }
}

function ok<T>(data: T): LiveAck<T> {
  return { ok: true, data };
}
