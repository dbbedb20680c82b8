import type { NextFunction, Request, Response } from 'express';
import { httpsRedirect, isLoopbackHost } from './https.js';

/** What the middleware did with one request: the redirect it answered, or whether it passed it on. */
function call(req: Partial<Request>, port = 3443) {
  const sut = httpsRedirect(port);
  const done: { redirect?: [number, string]; passed: boolean } = { passed: false };
  const res = { redirect: (status: number, url: string) => (done.redirect = [status, url]) } as unknown as Response;
  sut({ secure: false, path: '/', originalUrl: '/', ...req } as Request, res, (() => (done.passed = true)) as NextFunction);
  return done;
}

describe(httpsRedirect.name, () => {
  it('sends a page asked for over HTTP at a school-network address to the HTTPS port, keeping the path and query', () => {
    expect(call({ hostname: '192.168.10.5', path: '/live/7', originalUrl: '/live/7?x=1' })).toEqual({
      redirect: [308, 'https://192.168.10.5:3443/live/7?x=1'],
      passed: false,
    });
  });

  it('keeps localhost, /health and /metrics on HTTP, and lets HTTPS (or a trusted TLS proxy) through', () => {
    for (const req of [
      { hostname: 'localhost' },
      { hostname: '127.0.0.1' },
      { hostname: '192.168.10.5', path: '/health', originalUrl: '/health' },
      { hostname: '192.168.10.5', path: '/metrics', originalUrl: '/metrics' },
      { hostname: 'school.example.cn', secure: true },
    ]) {
      expect({ req, done: call(req) }).toEqual({ req, done: { passed: true } });
    }
  });

  it('brackets an IPv6 host and leaves the port out for 443', () => {
    expect(call({ hostname: 'fd00::5' }, 443).redirect).toEqual([308, 'https://[fd00::5]/']);
  });
});

describe(isLoopbackHost.name, () => {
  it('matches the hosts browsers treat as secure over plain HTTP', () => {
    expect(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['192.168.1.2', 'localhost.example.cn', '10.0.0.1', 'school'].some(isLoopbackHost)).toBe(false);
  });
});
