import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';
import type { NextFunction, Request, Response } from 'express';
import type { Server as HttpsServer } from 'node:https';

/** The part of socket.io's server used here (the platform package brings its own copy of socket.io). */
interface EngineOwner {
  engine: { attach(server: HttpsServer, options: { path: string }): void };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
/** Answered on plain HTTP from anywhere: probes of load balancers and monitoring don't follow redirects. */
const PLAIN_HTTP_PATHS = new Set(['/health', '/metrics']);

/** Pages at these hosts are secure contexts even over plain HTTP (the browser's own rule). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

/**
 * Plain-HTTP requests for any host but localhost are redirected to the HTTPS port (308 keeps the method and
 * body): a page served over HTTP at a school-network address has no camera, microphone or WebRTC device.
 * `/health` and `/metrics` stay on HTTP. Behind a trusted proxy (TRUST_PROXY) `req.secure` follows its
 * X-Forwarded-Proto, so a proxy that terminates TLS causes no loop.
 */
export function httpsRedirect(httpsPort: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.secure || PLAIN_HTTP_PATHS.has(req.path) || isLoopbackHost(req.hostname)) return next();
    const host = req.hostname.includes(':') ? `[${req.hostname}]` : req.hostname;
    res.redirect(308, `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}${req.originalUrl}`);
  };
}

/**
 * socket.io on the HTTP server (Nest's own), and on the HTTPS server beside it when there is one: one socket.io
 * server, one engine, so the live namespace, its rooms and its broadcasts are the same whichever port a browser
 * used. With `adapter` (several nodes: the Redis adapter), a broadcast reaches the sockets of every node.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly options: { https?: HttpsServer; adapter?: ServerOptions['adapter'] },
  ) {
    super(app);
  }

  override createIOServer(...args: Parameters<IoAdapter['createIOServer']>): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(...args);
    // Before Nest opens the live namespace on it, so that the namespace is made with this adapter.
    if (this.options.adapter) (server as unknown as { adapter(a: unknown): void }).adapter(this.options.adapter);
    if (this.options.https) (server as unknown as EngineOwner).engine.attach(this.options.https, { path: server.path() });
    return server;
  }
}
