import pino from 'pino';
import { Writable } from 'node:stream';
import { TestApp } from './support/test-app.js';

/** What the server writes to its log (nestjs-pino over the same pino logger as the rest of the server). */
describe('request and application log', () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    t = await TestApp.create({}, { logger: pino({ level: 'info' }, sink) });
  });
  afterAll(() => t.close());

  it('writes one JSON line per request with its id, at warn for a 4xx', async () => {
    await t.http.get('/api/courses/999999').set('X-Request-Id', 'log-test-404').expect(404);
    await t.http.get('/api/courses').set('X-Request-Id', 'log-test-200').expect(200);
    const line = (id: string) => lines.find((l) => (l.req as { id?: string } | undefined)?.id === id);
    expect(line('log-test-404')).toMatchObject({ level: 40, req: { method: 'GET', url: '/api/courses/999999' }, res: { statusCode: 404 } });
    expect(line('log-test-200')).toMatchObject({ level: 30, res: { statusCode: 200 } });
  });

  it("writes Nest's own messages through it, with their context", () => {
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ context: 'RoutesResolver', msg: expect.stringMatching(/CatalogueController/) })]));
  });

  it('never writes the secret token of a calendar feed', async () => {
    const token = 'A'.repeat(40);
    await t.http.get(`/api/calendar/${token}.ics`).set('X-Request-Id', 'log-test-feed').expect(404);
    expect(lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'log-test-feed')).toMatchObject({ req: { url: '/api/calendar/[redacted]' } });
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('does not log health probes', async () => {
    await t.http.get('/health').set('X-Request-Id', 'log-test-health').expect(200);
    expect(lines.some((l) => (l.req as { id?: string } | undefined)?.id === 'log-test-health')).toBe(false);
  });
});
