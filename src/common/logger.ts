import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Options } from 'pino-http';

export type AppLogger = Logger;

export function createLogger(level: string): AppLogger {
  return pino({ level, base: { service: 'tongke' }, timestamp: pino.stdTimeFunctions.isoTime });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Gives every request its id before anything can answer it (the HTTPS redirect, the web app's files, a body
 * that fails to parse): the caller's X-Request-Id when it is sane, otherwise a new UUID, echoed in the response
 * header and in every error body, so that a user's report can be matched to the log.
 */
export function requestId() {
  return (req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}

/** URLs whose path is a secret (the calendar feeds' tokens) are logged without it. */
export function redactSecrets(url: string): string {
  return url.replace(/^\/api\/calendar\/[^/?#]+/, '/api/calendar/[redacted]');
}

/**
 * pino-http's options for nestjs-pino (app.module.ts): one JSON line per request that reaches the application,
 * with the id given by `requestId()`; Nest's own log lines written while a request is handled carry it too.
 */
export function httpLogOptions(logger: AppLogger): Options<IncomingMessage, ServerResponse, never> {
  return {
    logger,
    genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactSecrets(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
  };
}
