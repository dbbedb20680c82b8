import { TestApp } from './support/test-app.js';

/** The HTTP API's limit per client address (@nestjs/throttler), with the default TRUST_PROXY (loopback). */
describe('HTTP rate limit', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await TestApp.create({ HTTP_RATE_LIMIT: '5', HTTP_RATE_TTL_SECONDS: '60' });
    // Logging in is an API request too: on an address of its own.
    token = (await t.user('admin')).token;
  });
  afterAll(() => t.close());

  const from = (address: string) => ({ get: (path: string) => t.http.get(path).set('X-Forwarded-For', address) });

  it('answers 429 past the limit, with Retry-After and when to retry, and counts each address apart', async () => {
    const school = from('198.51.100.7');
    for (let i = 0; i < 5; i++) await school.get('/api/courses').expect(200);
    const over = await school.get('/api/courses').expect(429);
    expect(over.body.message).toMatch(/^Too many requests from this address \(at most 5 in 60 s\); try again in \d+ seconds$/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body.requestId).toEqual(expect.any(String));

    await from('198.51.100.8').get('/api/courses').expect(200);
  });

  it('does not count health probes, metrics or recorded video', async () => {
    const school = from('198.51.100.9');
    for (let i = 0; i < 5; i++) await school.get('/api/site').expect(200);
    await school.get('/api/site').expect(429);
    await school.get('/health').expect(200);
    await school.get('/metrics').expect(200);
    // A recording that does not exist: 404, not 429.
    for (let i = 0; i < 3; i++) await school.get('/api/recordings/987654/hls/index.m3u8').set('Authorization', `Bearer ${token}`).expect(404);
  });
});

describe('HTTP rate limit behind an untrusted hop', () => {
  let t: TestApp;
  // Only 192.0.2.1 is a trusted proxy: a client at 127.0.0.1 cannot pick its address with X-Forwarded-For.
  beforeAll(async () => {
    t = await TestApp.create({ HTTP_RATE_LIMIT: '3', TRUST_PROXY: '192.0.2.1' });
  });
  afterAll(() => t.close());

  it('counts the connecting address, whatever X-Forwarded-For claims', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/api/site').set('X-Forwarded-For', `203.0.113.${i}`).expect(200);
    await t.http.get('/api/site').set('X-Forwarded-For', '203.0.113.99').expect(429);
  });
});
