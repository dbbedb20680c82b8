/**
 * Shapes every part of the HTTP API shares: errors, pages of results, health and how the site is reached.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

/** Every error body the API answers with. `message` is English; `code` lets the client translate. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems for 400 validation errors: "title must be shorter than or equal to 200 characters". */
  details?: string[];
  code?: string;
  requestId?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface HealthDto {
  status: 'ok' | 'error';
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

/**
 * `GET /api/site` (public): how this server is reached. `httpsPort` is where pages are secure contexts for
 * other machines (camera, microphone, live classes); null when this server serves no HTTPS itself.
 */
export interface SiteInfoDto {
  httpsPort: number | null;
}
