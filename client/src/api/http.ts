import type { ApiError, UploadLimitsDto } from '@contracts/api';
import { endSession, getSession } from '../auth/session';

/** A failed API call. `status` 0 means the server could not be reached at all. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly body: ApiError | null;

  constructor(status: number, body: ApiError | null) {
    super(body?.message ?? (status === 0 ? 'Network error' : `HTTP ${status}`));
    this.name = 'ApiRequestError';
    this.status = status;
    this.body = body;
  }
}

let unauthorizedHandler: () => Promise<void> | void = () => undefined;

/** What to do after an authenticated call was refused with 401 (the app sends the user to the login page). */
export function setUnauthorizedHandler(handler: () => Promise<void> | void): void {
  unauthorizedHandler = handler;
}

/**
 * The token is dropped only once the handler has moved away from the page: dropped first, a page for logged-in
 * users would redirect to the login page on its own and lose the "session expired" notice.
 */
function onUnauthorized(status: number, sentToken: boolean): void {
  if (status === 401 && sentToken) {
    void Promise.resolve()
      .then(unauthorizedHandler)
      .finally(endSession);
  }
}

function parseErrorBody(text: string): ApiError | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'statusCode' in value) {
      const body = value as Omit<ApiError, 'message'> & { message?: unknown };
      // Be lenient with framework errors whose message is an array of validation problems.
      if (Array.isArray(body.message)) {
        const problems = body.message.map(String);
        return { ...body, message: problems.join('; '), details: body.details ?? problems };
      }
      return { ...body, message: typeof body.message === 'string' ? body.message : '' };
    }
  } catch {
    // Not JSON (a proxy's HTML error page): fall through.
  }
  return null;
}

type QueryValue = string | number | boolean | null | undefined;

/** `path` plus the defined, non-empty query parameters. */
export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON-serialisable value (uploads go through `uploadForm`). */
  body?: unknown;
  /** Send the bearer token when logged in (default). The login call itself sets this to false. */
  auth?: boolean;
  /** Don't send the user to the login page on 401 (logging out with an already expired token). */
  ignoreUnauthorized?: boolean;
  signal?: AbortSignal;
  /** Let the request outlive the page (a last save on leaving it). */
  keepalive?: boolean;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, auth = true, ignoreUnauthorized = false, signal, keepalive } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = auth ? getSession()?.accessToken : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, signal, keepalive, credentials: 'same-origin' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(0, null);
  }

  if (!response.ok) {
    const error = new ApiRequestError(response.status, parseErrorBody(await response.text().catch(() => '')));
    if (!ignoreUnauthorized) onUnauthorized(response.status, Boolean(token));
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

let limits: Promise<UploadLimitsDto> | undefined;

/** The server's upload limits, asked once per page load. */
export function uploadLimits(): Promise<UploadLimitsDto> {
  limits ??= apiRequest<UploadLimitsDto>('/api/uploads/limits').catch((error: unknown) => {
    limits = undefined;
    throw error;
  });
  return limits;
}

export interface UploadOptions {
  method?: 'POST' | 'PUT';
  /** Called with 0..100 as the request body goes out. */
  onProgress?: (percent: number) => void;
}

/**
 * Multipart upload through XMLHttpRequest, because fetch cannot report upload progress.
 * Append text fields to `form` before the file: the server streams the body and reads fields first.
 */
export async function uploadForm<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const { method = 'POST', onProgress } = options;
  // Refuse a file the server would refuse, before minutes of uploading on a slow rural link.
  const { maxUploadBytes } = await uploadLimits();
  for (const value of form.values()) {
    if (value instanceof File && value.size > maxUploadBytes) {
      throw new ApiRequestError(413, {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `The file is larger than the ${Math.round(maxUploadBytes / 1024 / 1024)} MB upload limit`,
      });
    }
  }
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = getSession()?.accessToken;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(100);
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new ApiRequestError(xhr.status, null));
        }
        return;
      }
      onUnauthorized(xhr.status, Boolean(token));
      reject(new ApiRequestError(xhr.status, parseErrorBody(xhr.responseText)));
    };
    // A refused upload (413 before the body is read) can surface as a network error in some browsers.
    xhr.onerror = () => reject(new ApiRequestError(xhr.status, null));
    xhr.send(form);
  });
}
