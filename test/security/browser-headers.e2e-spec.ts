import { TestApp } from '../support/test-app.js';

/** #11.13: what the server tells browsers (helmet), over HTTP, over HTTPS and behind a TLS proxy. */
describe('security headers', () => {
  describe('the app on its own, with its generated certificate', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.create({ SERVE_CLIENT: 'true' });
    });
    afterAll(() => t.close());

    it('sends a CSP that allows only the app itself, no framing, and the hardening headers', async () => {
      const res = await t.http.get('/').expect(200);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("media-src 'self' blob:");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // Plain HTTP, and a self-signed certificate when HTTPS: never HSTS, which would stop a classroom accepting it.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('gives the API documentation the inline script Swagger UI needs, and nothing more', async () => {
      const res = await t.http.get('/api/docs/').expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    });

    it('sets the login cookie without Secure over plain HTTP (localhost)', async () => {
      const admin = await t.user('admin');
      const res = await t.http.post('/api/auth/login').send({ email: admin.email, password: 'correct-horse-42' }).expect(200);
      expect(res.headers['set-cookie'][0]).not.toMatch(/; Secure/);
    });
  });

  describe('behind a reverse proxy that terminates TLS (HTTPS_PORT=0, as in docker-compose.yml)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.create({ HTTPS_PORT: '0' });
    });
    afterAll(() => t.close());

    it('sends HSTS and a Secure cookie to what came over HTTPS, and not to plain HTTP', async () => {
      const viaTls = await t.http.get('/api/site').set('X-Forwarded-Proto', 'https').expect(200);
      expect(viaTls.headers['strict-transport-security']).toBe('max-age=15552000');
      const plain = await t.http.get('/api/site').expect(200);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      const admin = await t.user('admin');
      const res = await t.http.post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ email: admin.email, password: 'correct-horse-42' }).expect(200);
      expect(res.headers['set-cookie'][0]).toMatch(/; Secure/);
    });
  });
});
