import { BadRequestException, Logger, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_NAMESPACE,
  LiveEvent,
  LiveMessage,
  type JoinResult,
  type LiveAck,
  type SessionEndedEvent,
  type StartClassResult,
} from '../contracts/live.js';
import type { AuthUser } from '../auth/auth-user.js';
import { TokenService } from '../auth/token.service.js';
import { createValidationPipe } from '../common/validation.js';
import { UserRepository } from '../schools/user.repository.js';
import { LiveExceptionFilter } from './live-exception.filter.js';
import { SessionRefDto } from './live.dto.js';
import { LiveService } from './live.service.js';

interface LiveSocketData {
  user: AuthUser;
  classroomId: number | null;
  sessionId?: number;
}

type LiveSocket = Socket<Record<string, never>, Record<string, (payload: unknown) => void>, Record<string, never>, LiveSocketData>;

const classroomChannel = (id: number) => `classroom:${id}`;
const sessionChannel = (id: number) => `session:${id}`;

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
@UsePipes(createValidationPipe({ exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => Object.values(e.constraints ?? {}))) }))
export class LiveGateway implements OnGatewayInit {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly server: Namespace;

  constructor(
    private readonly live: LiveService,
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket as LiveSocket).then(
        () => next(),
        (e: Error) => next(e),
      );
    });
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const userId = typeof token === 'string' ? await this.tokens.verify(token) : null;
    const user = userId ? await this.users.findActiveById(userId) : null;
    if (!user) throw new Error(token ? 'Your session is invalid or has expired; please log in again' : 'Please log in first');
    const classroomId = user.role === 'classroom' ? await this.live.classroomOfDevice(user.id) : null;
    socket.data = { user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, schoolId: user.schoolId }, classroomId };
    if (classroomId) await socket.join(classroomChannel(classroomId));
  }

  @SubscribeMessage(LiveMessage.StartClass)
  async start(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<StartClassResult>> {
    const { result, notify, event } = await this.live.start(socket.data.user, body.sessionId);
    for (const id of notify) this.server.to(classroomChannel(id)).emit(LiveEvent.SessionLive, event);
    this.logger.log(`session ${body.sessionId} is live; told ${notify.length} classroom(s)`);
    return { ok: true, data: result };
  }

  @SubscribeMessage(LiveMessage.Join)
  async join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<JoinResult>> {
    const result = await this.live.join(socket.data.user, body.sessionId);
    if (socket.data.sessionId && socket.data.sessionId !== body.sessionId) await socket.leave(sessionChannel(socket.data.sessionId));
    socket.data.sessionId = body.sessionId;
    await socket.join(sessionChannel(body.sessionId));
    return { ok: true, data: result };
  }

  @SubscribeMessage(LiveMessage.Leave)
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<SessionEndedEvent>> {
    await socket.leave(sessionChannel(body.sessionId));
    if (socket.data.sessionId === body.sessionId) socket.data.sessionId = undefined;
    return { ok: true, data: { sessionId: body.sessionId } };
  }

  @SubscribeMessage(LiveMessage.EndClass)
  async end(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: SessionRefDto): Promise<LiveAck<SessionEndedEvent>> {
    const { notify } = await this.live.end(socket.data.user, body.sessionId);
    const event: SessionEndedEvent = { sessionId: body.sessionId };
    this.server.to(sessionChannel(body.sessionId)).emit(LiveEvent.ClassEnded, event);
    for (const id of notify) this.server.to(classroomChannel(id)).emit(LiveEvent.SessionEnded, event);
    return { ok: true, data: event };
  }
}
