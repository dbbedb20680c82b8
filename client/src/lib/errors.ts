import { ApiRequestError } from '../api/http';

export type ErrorKey =
  | 'network'
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'tooLarge'
  | 'unsupportedType'
  | 'tooManyRequests'
  | 'server'
  | 'unknown';

export function errorStatus(error: unknown): number | null {
  return error instanceof ApiRequestError ? error.status : null;
}

/** The translated headline for an HTTP status. */
export function errorKeyForStatus(status: number | null): ErrorKey {
  switch (status) {
    case null:
      return 'unknown';
    case 0:
      return 'network';
    case 400:
    case 422:
      return 'badRequest';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 413:
      return 'tooLarge';
    case 415:
      return 'unsupportedType';
    case 429:
      return 'tooManyRequests';
    default:
      return status >= 500 ? 'server' : 'unknown';
  }
}

export interface ErrorInfo {
  key: ErrorKey;
  status: number | null;
  /** Field problems of a 400, as the server wrote them. */
  details: string[];
  /** The server's own (English) message, when it says more than the headline. */
  serverMessage: string | null;
  requestId: string | null;
}

export function describeError(error: unknown): ErrorInfo {
  const status = errorStatus(error);
  const key = errorKeyForStatus(status);
  const body = error instanceof ApiRequestError ? error.body : null;
  const details = body?.details ?? [];
  const message = body?.message.trim() ?? '';
  // 5xx messages are generic by design; a bare reason phrase ("Not Found") adds nothing either.
  const informative = message !== '' && key !== 'server' && message !== body?.error && details.length === 0;
  return {
    key,
    status,
    details,
    serverMessage: informative ? message : null,
    // Worth quoting to an administrator only when the server failed, not when the input was refused.
    requestId: key === 'server' ? (body?.requestId ?? null) : null,
  };
}
