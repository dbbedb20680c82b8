import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Vite's build output: content-hashed file names, flat under /assets/. */
const ASSET = /^\/assets\/([A-Za-z0-9._-]+)$/;
const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Cache headers for the web app's files: content-hashed assets never change under their name, so a browser
 * keeps them a year without asking again; everything else (index.html, the service worker) is revalidated on
 * every visit, so a new version reaches classrooms at once.
 */
export function setClientCacheHeaders(res: Response, path: string): void {
  res.setHeader('Cache-Control', /[\\/]assets[\\/][^\\/]+$/.test(path) ? YEAR_IMMUTABLE : 'no-cache');
}

/**
 * Serves the brotli or gzip copy that the client build wrote beside each asset (client/vite.config.ts), when
 * the browser accepts it: compressed once at build time, not on every request. On a 256 kbit/s rural link
 * the main bundle goes out in about a third of its size. Anything else falls through to the static files.
 */
export function precompressedAssets(clientDir: string) {
  const encodings = [
    { token: 'br', suffix: '.br' },
    { token: 'gzip', suffix: '.gz' },
  ];
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = ASSET.exec(req.path)?.[1];
    if (!name) return next();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const file = join(clientDir, 'assets', name);
    const chosen = encodings.find((e) => new RegExp(`\\b${e.token}\\b`).test(accepted) && existsSync(file + e.suffix));
    res.setHeader('Vary', 'Accept-Encoding');
    if (!chosen) return next();
    res.type(name);
    res.setHeader('Content-Encoding', chosen.token);
    res.setHeader('Cache-Control', YEAR_IMMUTABLE);
    res.sendFile(file + chosen.suffix, { cacheControl: false }, (err) => err && next(err));
  };
}
