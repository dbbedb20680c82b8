import { TestApp } from './support/test-app.js';

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('GET /health reports the database up, and the live media workers (not started until a class needs them)', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, live: { status: 'up', state: 'not-started', workers: 0 } } });
  });

  it('serves the OpenAPI document with the main routes', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys((res.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/auth/login', '/api/courses', '/api/courses/{id}/resources', '/api/resources/{id}/download']));
  });

  it('echoes the request id and puts it in error bodies', async () => {
    const res = await t.http.get('/api/courses/999999').set('X-Request-Id', 'trace-abc-123').expect(404);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    expect(res.body).toMatchObject({ statusCode: 404, message: 'Course 999999 does not exist', requestId: 'trace-abc-123' });
  });

  it('answers malformed JSON with a 400 that says so, without internals', async () => {
    const res = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body.message).toMatch(/^Malformed JSON body: /);
    expect(JSON.stringify(res.body)).not.toMatch(/ at |SyntaxError|node_modules|\.js:/);
  });
});
