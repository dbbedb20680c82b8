import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The browser's side of security, with helmet: a Content-Security-Policy that lets the web app (its own
 * scripts and styles), hls.js (blob: media and workers), the live socket (same origin) and WebRTC (not governed
 * by CSP) work, and nothing else — no inline or foreign script, no framing (frame-ancestors 'none' and
 * X-Frame-Options), no plugin — plus the usual hardening headers. The API documentation (Swagger UI, which
 * needs inline script and style) gets the same headers with a CSP of its own.
 *
 * HSTS only over HTTPS with a certificate browsers trust (the school's, or a proxy's): with the generated,
 * self-signed one, HSTS would stop browsers from letting a classroom accept it.
 */
export function securityHeaders(options: { hsts: boolean }) {
  const common = {
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    // Downloads and images are opened from the app's own pages only.
    crossOriginResourcePolicy: { policy: 'same-origin' as const },
    xFrameOptions: { action: 'deny' as const },
  };
  const app = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (options.hsts && req.secure) res.setHeader('Strict-Transport-Security', 'max-age=15552000');
    (req.path.startsWith('/api/docs') ? docs : app)(req, res, next);
  };
}
