import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { bookedClass, expectDecoding, type BookedClass } from '../support/live-pages.js';
import { NodeProcess } from '../support/node-process.js';
import { freePorts } from '../support/ports.js';
import { TestRedis } from '../support/redis.js';
import { SessionProxy } from '../support/session-proxy.js';
import { PASSWORD, TestApp } from '../support/test-app.js';

/**
 * #13.3, a class that spans two nodes, in browsers: node A (this process) and node B (a process of its own) share
 * one database and one Redis, behind a proxy that routes as compose's Caddy does. Each node takes one classroom of
 * a class (LIVE_CLASSROOMS_PER_NODE=1). The teacher starts the class on A, its home; a classroom's today page,
 * served by B, hears it started; the first classroom joins on A, the second is sent on to B (CLASS_FULL_HERE),
 * which receives the teacher's media through a pipe from A, and decodes her there. Then B's process is killed:
 * its classroom reconnects, lands on A, and decodes her again within 10 s.
 */
describe('a class spanning two nodes, and an edge node dying', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: NodeProcess;
  let proxy: SessionProxy;
  let booked: BookedClass;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    const clientDir = resolve(import.meta.dirname, '..', '..', 'client', 'dist');
    const common = {
      REDIS_URL: redis.url,
      SERVE_CLIENT: 'true',
      CLIENT_DIR: clientDir,
      MEDIASOUP_WORKERS: '1',
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      LIVE_CLASSROOMS_PER_NODE: '1',
      RECORDING_X264_PRESET: 'superfast',
      LIVE_RECONNECT_GRACE_SECONDS: '60',
    };
    const base = await freePorts(3);
    const [mediaA, mediaB, portB] = [base, base + 1, base + 2];
    a = await TestApp.create({ ...common, NODE_ID: 'a', MEDIASOUP_WEBRTC_PORT: String(mediaA) });
    b = await NodeProcess.start(portB, {
      ...common,
      NODE_ID: 'b',
      NODE_ENV: 'test',
      MEDIASOUP_WEBRTC_PORT: String(mediaB),
      DATABASE_URL: a.databaseUrl,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      HTTPS_PORT: '0',
      HTTP_RATE_LIMIT: '100000',
      UPLOAD_MIN_FREE_MB: '0',
    });
    await new Promise<void>((r) => a.app.getHttpServer().listen(0, '127.0.0.1', r));
    proxy = await SessionProxy.start({ a: (a.app.getHttpServer().address() as AddressInfo).port, b: b.port });
    booked = await bookedClass(a, 'across-nodes.test', ['三年级甲', '三年级乙']);
    // The class's home is A (the hash could have chosen either); pages, the API and today pages' sockets go to B.
    proxy.pinned.set(booked.sessionId, 'a');
    proxy.fallback = 'b';
  }, 60_000);
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await proxy?.close();
    await b?.stop();
    await a?.close();
    redis?.stop();
  });

  async function page(): Promise<Page> {
    const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    browsers.push(browser);
    return browser.context.newPage();
  }

  it('pipes the teacher from her home node to a classroom on the other, which moves to the home when its node is killed', async () => {
    const base = `http://localhost:${proxy.port}`;
    const [first, second] = [await page(), await page()];
    for (const [p, room] of [[first, booked.rooms[0]], [second, booked.rooms[1]]] as const) {
      await logIn(p, base, room.device.email, PASSWORD);
      await p.goto(`${base}/classroom/today`);
    }

    const teacher = await page();
    await logIn(teacher, base, booked.teacher.email, PASSWORD);
    await teacher.goto(`${base}/my/schedule`);
    await teacher.locator(`[data-testid="start-class"][data-session-id="${booked.sessionId}"]`).click();
    await teacher.getByTestId('local-preview').waitFor();

    // Both today pages (on B) hear the class started on A; the first classroom takes A's one place.
    await first.locator(`[data-testid="join-class"][data-session-id="${booked.sessionId}"]`).click({ timeout: 20_000 });
    await expectDecoding(first, 'teacher-video');
    // The second is sent on to B, which receives the teacher through a pipe from A.
    const sentToB = second.waitForEvent('websocket', { predicate: (ws) => ws.url().includes('node=b'), timeout: 20_000 });
    await second.locator(`[data-testid="join-class"][data-session-id="${booked.sessionId}"]`).click({ timeout: 20_000 });
    await sentToB;
    await expectDecoding(second, 'teacher-video');
    // The teacher lists both classrooms, the one on B too.
    await teacher.locator(`[data-testid="classroom-tile"][data-classroom-id="${booked.rooms[1].id}"]`).waitFor({ timeout: 10_000 });

    // B's process dies. Its classroom reconnects through the proxy, lands on A, and decodes the teacher again.
    b.kill();
    proxy.kill('b');
    const killed = Date.now();
    await second.getByTestId('live-status').and(second.locator('[data-state="reconnecting"]')).waitFor({ timeout: 10_000 });
    await second.getByTestId('live-status').and(second.locator('[data-state="live"]')).waitFor({ timeout: 20_000 });
    await expectDecoding(second, 'teacher-video');
    const movedMs = Date.now() - killed;
    process.stdout.write(`classroom decoding again on the home node ${movedMs} ms after its node was killed\n`);
    expect(movedMs).toBeLessThan(10_000);
    // The first classroom never noticed.
    await expectDecoding(first, 'teacher-video');
  }, 150_000);
});
