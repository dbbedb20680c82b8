import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #11.16: a large upload over a slow rural link is not cut at a fixed deadline (Node's 300 s requestTimeout);
 * a connection is closed only when nothing arrives for STALL_TIMEOUT_SECONDS, and then nothing is kept.
 */
describe('slow and stalled uploads', () => {
  let t: TestApp;
  let teacher: TestUser;
  let courseId: number;
  let port: number;
  beforeAll(async () => {
    t = await TestApp.create({ STALL_TIMEOUT_SECONDS: '2' });
    teacher = await t.user('teacher');
    courseId = (await t.course(teacher)).id;
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const temps = () => readdirSync(join(t.dataDir, 'files', 'tmp'));

  /** A multipart upload written in `chunks` pieces, `gapMs` apart; resolves the status, or the error. */
  function trickle(chunks: number, gapMs: number): Promise<number | string> {
    const boundary = 'tongke-test-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="教案.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const piece = Buffer.from('第一课 教学设计。'.repeat(100));
    return new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: `/api/courses/${courseId}/resources`, headers: { Authorization: `Bearer ${teacher.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + piece.length * chunks + tail.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.write(head);
      let sent = 0;
      const next = () => {
        if (req.destroyed) return;
        req.write(piece);
        if (++sent === chunks) req.end(tail);
        else setTimeout(next, gapMs);
      };
      next();
    });
  }

  it('lets an upload that keeps moving run past the stall timeout, with no deadline for the whole request', async () => {
    expect((t.app.getHttpServer() as Server).requestTimeout).toBe(0);
    // 8 pieces 600 ms apart: 4.2 s in all, against a 2 s stall timeout.
    expect(await trickle(8, 600)).toBe(201);
  });

  it('closes an upload that stalls, and keeps nothing of it', async () => {
    const [{ n: before }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    // The second piece would come after 3.5 s: the server has hung up by then.
    expect(await trickle(2, 3500)).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    // The server removes the half-written temp file as it handles the hang-up, a moment after the client sees it.
    await eventually(
      () => {
        expect(temps()).toEqual([]);
        return true;
      },
      { what: "the stalled upload's temp file to be removed" },
    );
    const [{ n: after }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    expect(after).toBe(before);
  });
});
