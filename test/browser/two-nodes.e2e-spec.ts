import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ClassHomes } from '../../src/live/class-homes.js';
import { WorkerPool } from '../../src/live/sfu/worker-pool.js';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { bookedClass, expectDecoding, type BookedClass } from '../support/live-pages.js';
import { freePorts } from '../support/ports.js';
import { TestRedis } from '../support/redis.js';
import { SessionProxy } from '../support/session-proxy.js';
import { PASSWORD, TestApp } from '../support/test-app.js';

/**
 * #13.3, the proof in browsers: two nodes (one database, one Redis, each its own media worker) behind a proxy that
 * routes as compose's Caddy does (the live socket of a class by a hash of its session, everything else to one node).
 * The teacher starts a class, which lands on its home node; a classroom's today page, served by the other node, is
 * told the class started (through Redis); the classroom joins and decodes the teacher. Then the home node dies as
 * the browsers see it (its connections cut, its media workers gone, its hold on the class no longer renewed): both
 * browsers reconnect through the proxy to the other node, which takes the class over; the teacher publishes again
 * and the classroom decodes her again.
 */
describe('a class on two nodes, and its home node dying', () => {
  let redis: TestRedis;
  const nodes: Record<string, TestApp> = {};
  let proxy: SessionProxy;
  let booked: BookedClass;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = (name: string, port: number) => ({
      REDIS_URL: redis.url,
      NODE_ID: name,
      SERVE_CLIENT: 'true',
      CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist'),
      MEDIASOUP_WORKERS: '1',
      MEDIASOUP_WEBRTC_PORT: String(port),
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      RECORDING_X264_PRESET: 'superfast',
      LIVE_RECONNECT_GRACE_SECONDS: '60',
    });
    nodes.a = await TestApp.create(env('a', await freePorts(1)));
    nodes.b = await TestApp.create(env('b', await freePorts(1)), { sharing: nodes.a });
    const ports: Record<string, number> = {};
    for (const [name, t] of Object.entries(nodes)) {
      await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
      ports[name] = (t.app.getHttpServer().address() as AddressInfo).port;
    }
    proxy = await SessionProxy.start(ports);
    booked = await bookedClass(nodes.a, 'two-nodes.test', ['三年级甲']);
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await proxy?.close();
    await nodes.b?.close();
    await nodes.a?.close();
    redis?.stop();
  });

  async function page(): Promise<Page> {
    const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    browsers.push(browser);
    return browser.context.newPage();
  }

  it('is announced across nodes, decoded, and goes on on the other node when its home node dies', async () => {
    const base = `http://localhost:${proxy.port}`;
    const home = proxy.nodeFor(booked.sessionId);
    const other = home === 'a' ? 'b' : 'a';
    // Pages, the API and the today page's socket go to the other node.
    proxy.fallback = other;

    const classroom = await page();
    await logIn(classroom, base, booked.rooms[0].device.email, PASSWORD);
    await classroom.goto(`${base}/classroom/today`);

    const teacher = await page();
    await logIn(teacher, base, booked.teacher.email, PASSWORD);
    await teacher.goto(`${base}/my/schedule`);
    await teacher.locator(`[data-testid="start-class"][data-session-id="${booked.sessionId}"]`).click();
    await teacher.getByTestId('local-preview').waitFor();

    // The announcement came from the home node to a socket on the other one.
    await classroom.locator(`[data-testid="join-class"][data-session-id="${booked.sessionId}"]`).click({ timeout: 20_000 });
    await classroom.waitForURL(new RegExp(`/live/${booked.sessionId}$`));
    await expectDecoding(classroom, 'teacher-video');

    // The home node dies.
    proxy.kill(home);
    nodes[home].app.get(ClassHomes).onModuleDestroy();
    await nodes[home].app.get(WorkerPool).onModuleDestroy();

    // Both reconnect to the other node, which takes the class once the dead node's hold has run out.
    await classroom.getByTestId('live-status').and(classroom.locator('[data-state="reconnecting"]')).waitFor({ timeout: 20_000 });
    await teacher.getByTestId('live-status').and(teacher.locator('[data-state="live"]')).waitFor({ timeout: 40_000 });
    await classroom.getByTestId('live-status').and(classroom.locator('[data-state="live"]')).waitFor({ timeout: 40_000 });
    await expectDecoding(classroom, 'teacher-video');
    expect(proxy.nodeFor(booked.sessionId)).toBe(other);
  }, 120_000);
});
