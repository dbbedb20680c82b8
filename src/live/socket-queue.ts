import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';

/**
 * One socket's messages are handled one after the other, in the order they came: the per-peer limits (one send
 * and one receive transport, three producers, one consumer per media) and leaving one class when joining
 * another are checks followed by awaits, which concurrent messages of the same socket would otherwise all pass
 * at once. Different sockets still run side by side.
 */
@Injectable()
export class SocketQueueInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const socket = context.switchToWs().getClient<{ data: { queue?: Promise<unknown> } }>();
    const run = (socket.data.queue ?? Promise.resolve()).then(() => lastValueFrom(next.handle(), { defaultValue: undefined }));
    socket.data.queue = run.catch(() => undefined);
    return from(run);
  }
}
