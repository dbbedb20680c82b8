import { TestApp, type TestUser } from '../support/test-app.js';

/** #11.13: in production, /metrics and the API documentation answer only to METRICS_TOKEN or an admin. */
describe('operators pages in production', () => {
  const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
  let t: TestApp;
  let admin: TestUser;
  let teacher: TestUser;
  beforeAll(async () => {
    t = await TestApp.create({ NODE_ENV: 'production', METRICS_TOKEN });
    admin = await t.user('admin');
    teacher = await t.user('teacher');
  });
  afterAll(() => t.close());

  it.each(['/metrics', '/api/docs-json', '/api/docs'])('%s: 401 to anyone else, open to the scraper token and to an admin', async (path) => {
    const refused = await t.http.get(path).expect(401);
    expect(refused.body.message).toBe('This page is for operators: send METRICS_TOKEN or an admin access token as a Bearer token');
    await t.http.get(path).set('Authorization', `Bearer ${teacher.token}`).expect(401);
    await t.http.get(path).set('Authorization', `Bearer ${METRICS_TOKEN.slice(0, -1)}x`).expect(401);
    await t.http.get(path).set('Authorization', `Bearer ${METRICS_TOKEN}`).expect((res) => expect([200, 301]).toContain(res.status));
    await t.http.get(path).set('Authorization', `Bearer ${admin.token}`).expect((res) => expect([200, 301]).toContain(res.status));
  });

  it('leaves the rest of the API as it was', async () => {
    await t.http.get('/health').expect(200);
    await t.http.get('/api/courses').expect(200);
  });
});
