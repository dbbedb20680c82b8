import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app.config.js';
import type { Authenticator } from '../auth/authenticator.js';

/**
 * In production, the operators' pages (`/metrics`, the API documentation under `/api/docs`) answer only to
 * `Authorization: Bearer <METRICS_TOKEN>` (a Prometheus scraper) or to an admin's access token; anyone else gets
 * 401 saying so. Outside production they stay open, as on a developer's machine.
 */
export function opsAccess(config: AppConfig, authenticator: Authenticator) {
  const scraper = config.METRICS_TOKEN ? Buffer.from(config.METRICS_TOKEN) : undefined;
  return async (req: Request, res: Response, next: NextFunction) => {
    if (config.NODE_ENV !== 'production') return next();
    const header = req.headers.authorization ?? '';
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    if (token && scraper) {
      const given = Buffer.from(token);
      if (given.length === scraper.length && timingSafeEqual(given, scraper)) {
        // Not an access token: the page itself is public once past here.
        delete req.headers.authorization;
        return next();
      }
    }
    const user = token ? await authenticator.authenticate(token) : null;
    if (user?.role === 'admin') return next();
    res.status(401).json({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'This page is for operators: send METRICS_TOKEN or an admin access token as a Bearer token',
      requestId: (req as Request & { id?: string }).id,
    });
  };
}
