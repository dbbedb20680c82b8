import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { County } from '../support/county.js';
import { eventually } from '../support/eventually.js';
import { bookedClass, expectDecoding, type BookedClass } from '../support/live-pages.js';
import { PASSWORD, TestApp } from '../support/test-app.js';
import { freePorts } from '../support/ports.js';

/**
 * The field, not the lab: the server runs with the default configuration (no MEDIASOUP_* variable at all, its
 * own generated certificate), the teacher is on the server's machine, and two classrooms are on two other
 * hosts of the school network (network namespaces with their own addresses, see test/support/county.ts).
 * The classrooms type the server's plain-HTTP address and are sent to HTTPS; both decode the teacher; one
 * talks back, and the teacher and the other classroom decode it.
 */
describe('field: a class for classrooms on other hosts, as shipped', () => {
  let county: County;
  let t: TestApp;
  let httpPort: number;
  let httpsPort: number;
  let booked: BookedClass;
  const browsers: Browser[] = [];
  const media = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

  beforeAll(async () => {
    // The hosts exist before the server starts, as a school's network does: the server finds their links.
    county = County.create(3);
    // The third classroom's network lets nothing through to the media ports (44400 and up, the default), UDP or TCP.
    county.hosts[2].shape({ blockServerPorts: [44400, 44463] });
    httpsPort = await freePorts(1);
    t = await TestApp.create({
      SERVE_CLIENT: 'true',
      CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist'),
      HTTPS_PORT: String(httpsPort),
      // Three browsers, two workers and the recorder share two cores here.
      RECORDING_X264_PRESET: 'superfast',
    });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '0.0.0.0', r));
    httpPort = (t.app.getHttpServer().address() as AddressInfo).port;
    await new Promise<void>((r) => t.https!.listen(httpsPort, '0.0.0.0', r));
    booked = await bookedClass(t, 'field.test', ['三年级甲', '三年级乙', '三年级丙']);
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await t?.close();
    county?.close();
  });

  async function browserOn(executablePath?: string): Promise<Page> {
    const browser = await launchBrowser(media, { executablePath, ignoreHTTPSErrors: true });
    browsers.push(browser);
    const page = await browser.context.newPage();
    // Keeps the page's peer connections, to read what it receives (getStats).
    await page.addInitScript(`{
      const Native = window.RTCPeerConnection;
      window.__pcs = [];
      window.RTCPeerConnection = class extends Native { constructor(...a) { super(...a); window.__pcs.push(this); } };
    }`);
    return page;
  }

  /** Audio samples received and concealed, and video frames decoded, over every peer connection of the page. */
  function received(page: Page): Promise<{ samples: number; concealed: number; seconds: number; frames: number }> {
    return page.evaluate(`(async () => {
      const out = { samples: 0, concealed: 0, seconds: 0, frames: 0 };
      for (const pc of window.__pcs) {
        (await pc.getStats()).forEach((s) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'audio') {
            out.samples += s.totalSamplesReceived ?? 0;
            out.concealed += s.concealedSamples ?? 0;
            out.seconds += s.totalSamplesDuration ?? 0;
          }
          else out.frames += s.framesDecoded ?? 0;
        });
      }
      return out;
    })()`);
  }

  let teacherPage: Page;
  const classroomPages: Page[] = [];

  it('a classroom on another host that opens the plain-HTTP address is sent to HTTPS, where the page is a secure context', async () => {
    for (const [i, host] of county.hosts.slice(0, 2).entries()) {
      const page = await browserOn(host.chromium);
      const response = await page.goto(`http://${host.serverAddress}:${httpPort}/login`);
      expect(response?.url()).toBe(`https://${host.serverAddress}:${httpsPort}/login`);
      expect(await page.evaluate('window.isSecureContext')).toBe(true);
      await logIn(page, `https://${host.serverAddress}:${httpsPort}`, booked.rooms[i].device.email, PASSWORD);
      await page.goto(`https://${host.serverAddress}:${httpsPort}/classroom/today`);
      classroomPages.push(page);
    }
  });

  it('the teacher starts the class over HTTPS on the server, and both classrooms on other hosts decode her video', async () => {
    teacherPage = await browserOn();
    const base = `https://localhost:${httpsPort}`;
    await logIn(teacherPage, base, booked.teacher.email, PASSWORD);
    await teacherPage.goto(`${base}/my/schedule`);
    await teacherPage.locator(`[data-testid="start-class"][data-session-id="${booked.sessionId}"]`).click();
    await teacherPage.waitForURL(new RegExp(`/live/${booked.sessionId}$`));
    await teacherPage.getByTestId('local-preview').waitFor();

    for (const page of classroomPages) {
      await page.locator(`[data-testid="join-class"][data-session-id="${booked.sessionId}"]`).click({ timeout: 20_000 });
      await page.waitForURL(new RegExp(`/live/${booked.sessionId}$`));
    }
    for (const page of classroomPages) await expectDecoding(page, 'teacher-video');
  });

  it('one classroom talks back: the teacher and the other classroom decode it', async () => {
    const [first, second] = classroomPages;
    await first.getByTestId('raise-hand').click();
    const item = teacherPage.locator(`[data-testid="hand-queue-item"][data-classroom-id="${booked.rooms[0].id}"]`);
    await item.getByTestId('grant-floor').click({ timeout: 20_000 });
    await first.getByTestId('floor-granted').waitFor({ timeout: 20_000 });
    await expectDecoding(teacherPage, 'talkback-video');
    await expectDecoding(second, 'floor-video');
  });

  it('on a weak rural link (512 / 256 kbit/s, 3 % loss) the voice goes on and frames keep coming', async () => {
    const [, second] = classroomPages;
    county.hosts[1].shape({ downKbit: 512, upKbit: 256, lossPercent: 3 });
    try {
      const before = await received(second);
      // Until five seconds of voice have been played out over the shaped link (the teacher's and, still holding the
      // floor, the first classroom's, added up).
      const after = await eventually(
        async () => {
          const now = await received(second);
          expect(now.seconds - before.seconds).toBeGreaterThanOrEqual(5);
          return now;
        },
        { what: 'five seconds of voice played out over the shaped link', timeoutMs: 20_000, intervalMs: 200 },
      );
      // No thresholds here (they live in bench:weaklink): the voice keeps arriving, mostly not concealed, and the
      // picture keeps moving.
      const samples = after.samples - before.samples;
      expect(samples).toBeGreaterThan(0);
      expect(after.concealed - before.concealed).toBeLessThan(samples / 2);
      expect(after.frames).toBeGreaterThan(before.frames);
    } finally {
      county.hosts[1].shape({});
    }
  });

  it('a classroom whose network lets no media through is offered the live playlist of the class instead', async () => {
    const host = county.hosts[2];
    const base = `https://${host.serverAddress}:${httpsPort}`;
    const page = await browserOn(host.chromium);
    await logIn(page, base, booked.rooms[2].device.email, PASSWORD);
    await page.goto(`${base}/live/${booked.sessionId}`);
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor({ timeout: 20_000 });
    // ICE can't connect: after a while the page offers what does get through, the recording over HTTPS.
    await page.getByTestId('live-hls-fallback').getByRole('link').click({ timeout: 40_000 });
    await page.waitForURL(new RegExp(`/sessions/${booked.sessionId}/recording$`));
  }, 90_000);
});
