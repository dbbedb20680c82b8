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
  | 'unknown'
  | 'gradeMismatch'
  | 'openedElsewhere'
  | 'courseHasClasses'
  | 'quotaExceeded'
  | 'diskFull';

/**
 * Error codes the server attaches (`ApiError.code`) where the status alone can't say what went wrong.
 * The contract declares no list of codes; these are the ones named in the API's description.
 */
export const ERROR_CODES = {
  /** 409 on booking a classroom of another grade than the course's: an admin may book anyway. */
  gradeMismatch: 'GRADE_MISMATCH',
  /** A live class left because the same account opened it on another device. */
  openedElsewhere: 'OPENED_ELSEWHERE',
  /** 409 on deleting a course that has had classes: archive it instead. */
  courseHasClasses: 'COURSE_HAS_CLASSES',
  /** 413 on an upload past the account's quota. */
  quotaExceeded: 'QUOTA_EXCEEDED',
  /** 507: the server keeps its last free space for recordings and the database. */
  diskFull: 'DISK_FULL',
} as const;

const CODE_KEYS: Partial<Record<string, ErrorKey>> = {
  [ERROR_CODES.gradeMismatch]: 'gradeMismatch',
  [ERROR_CODES.openedElsewhere]: 'openedElsewhere',
  [ERROR_CODES.courseHasClasses]: 'courseHasClasses',
  [ERROR_CODES.quotaExceeded]: 'quotaExceeded',
  [ERROR_CODES.diskFull]: 'diskFull',
};

/** The server's error code, if the error carries one. */
export function errorCode(error: unknown): string | null {
  return error instanceof ApiRequestError ? (error.body?.code ?? null) : null;
}

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
  /** The headline comes from the server's `code`, not from the status. */
  byCode: boolean;
  status: number | null;
  /** Field problems of a 400, as the server wrote them. */
  details: string[];
  /** The server's own (English) message, when it says more than the headline. */
  serverMessage: string | null;
  requestId: string | null;
}

export function describeError(error: unknown): ErrorInfo {
  const status = errorStatus(error);
  const body = error instanceof ApiRequestError ? error.body : null;
  const codeKey = body?.code ? CODE_KEYS[body.code] : undefined;
  const key = codeKey ?? errorKeyForStatus(status);
  const details = body?.details ?? [];
  const message = body?.message.trim() ?? '';
  // 5xx messages are generic by design; a bare reason phrase ("Not Found") adds nothing either.
  const informative = message !== '' && key !== 'server' && message !== body?.error && details.length === 0;
  return {
    key,
    byCode: codeKey !== undefined,
    status,
    details,
    serverMessage: informative ? message : null,
    // Worth quoting to an administrator only when the server failed, not when the input was refused.
    requestId: key === 'server' ? (body?.requestId ?? null) : null,
  };
}
