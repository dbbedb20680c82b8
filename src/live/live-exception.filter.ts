import { ArgumentsHost, Catch, HttpException, Logger, type WsExceptionFilter } from '@nestjs/common';
import type { LiveAck, LiveError } from '../contracts/live.js';

/**
 * Every socket message is answered: a refused or malformed one gets `{ ok: false, error }` through its
 * acknowledgement (or an `error` event when the client asked for none), never a dropped message or a crash.
 */
@Catch()
export class LiveExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('LiveGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toLiveError(exception);
    // A 503 with a code (the class is on, or goes to, another node) is a redirect, not a fault.
    if (error.status >= 500 && !(error.status === 503 && error.code)) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const args = host.getArgs<unknown[]>();
    const ack = args.find((a): a is (r: LiveAck<never>) => void => typeof a === 'function');
    if (ack) ack({ ok: false, error });
    else (args[0] as { emit?: (e: string, p: unknown) => void }).emit?.('error', error);
  }
}

export function toLiveError(exception: unknown): LiveError {
  if (exception instanceof HttpException) {
    const response = exception.getResponse() as string | { message?: string | string[]; code?: LiveError['code']; node?: string };
    const message = typeof response === 'string' ? response : response.message;
    if (Array.isArray(message)) return { status: exception.getStatus(), message: `Invalid message: ${message.join('; ')}`, details: message };
    const { code, node } = typeof response === 'string' ? {} : response;
    return { status: exception.getStatus(), message: message ?? exception.message, ...(code ? { code } : {}), ...(node ? { node } : {}) };
  }
  return { status: 500, message: 'Something went wrong on our side' };
}
