import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';

/**
 * Real WebRTC in headless Chromium (fake camera and microphone) through real mediasoup workers: the teacher
 * starts the class from her schedule; two classrooms see the join button appear on their "today" page and
 * decode the teacher's video (with one consumer per router, the second classroom is served through a pipe
 * to the other worker); one raises its hand, is given the floor, and the teacher decodes its video.
 */
describe('web app: a live synchronized class', () => {
  let t: TestApp;
  let base: string;
  let teacher: TestUser;
  const rooms: { device: TestUser; id: number }[] = [];
  let sessionId: number;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    t = await TestApp.create({
      SERVE_CLIENT: 'true',
      CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist'),
      MEDIASOUP_WORKERS: '2',
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_WEBRTC_PORT: String(20000 + Math.floor(Math.random() * 9000)),
      MEDIASOUP_MAX_CONSUMERS_PER_ROUTER: '2',
    });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const city = await t.school('城关一小');
    const rural = await t.school('上湾教学点', 'rural');
    teacher = await t.user('teacher', { schoolId: city, name: '王老师', email: 'wang@live.test' });
    for (const [name, email] of [['三年级甲', 'room-a@live.test'], ['三年级乙', 'room-b@live.test']]) {
      const device = await t.user('classroom', { schoolId: rural, email });
      const [{ id }] = await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`, [
        rural,
        name,
        device.id,
      ]);
      rooms.push({ device, id });
    }
    const course = await t.course(teacher, { title: '《春天在哪里》歌唱课', subjectId: 4, gradeId: 3 });
    const start = new Date(Date.now() + 2 * 60_000);
    const s = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    sessionId = s.body.id;
    for (const r of rooms) {
      await t.http.post(`/api/sessions/${sessionId}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId: r.id }).expect(201);
    }
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await t.close();
  });

  async function loggedIn(email: string): Promise<Page> {
    const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection']);
    browsers.push(browser);
    const page = await browser.context.newPage();
    await logIn(page, base, email, PASSWORD);
    return page;
  }

  /** Frames decoded by the <video> with this test id, read twice a few seconds apart: both rising proves live video. */
  async function decodedFrames(page: Page, testId: string): Promise<number> {
    return page.getByTestId(testId).evaluate((el) => {
      const v = el as unknown as { getVideoPlaybackQuality(): { totalVideoFrames: number } };
      return v.getVideoPlaybackQuality().totalVideoFrames;
    });
  }

  async function expectDecoding(page: Page, testId: string): Promise<void> {
    await page.getByTestId(testId).waitFor({ timeout: 20_000 });
    let first = 0;
    for (let i = 0; i < 100 && first < 5; i++) {
      first = await decodedFrames(page, testId);
      if (first < 5) await page.waitForTimeout(200);
    }
    await page.waitForTimeout(2000);
    const later = await decodedFrames(page, testId);
    expect(first).toBeGreaterThanOrEqual(5);
    expect(later).toBeGreaterThan(first);
  }

  let teacherPage: Page;
  const classroomPages: Page[] = [];

  it('the teacher starts the class and both booked classrooms join from their today page and decode her video', async () => {
    for (const r of rooms) {
      const page = await loggedIn(r.device.email);
      await page.goto(`${base}/classroom/today`);
      classroomPages.push(page);
    }
    teacherPage = await loggedIn(teacher.email);
    await teacherPage.goto(`${base}/my/schedule`);
    await teacherPage.locator(`[data-testid="start-class"][data-session-id="${sessionId}"]`).click();
    await teacherPage.waitForURL(new RegExp(`/live/${sessionId}$`));
    await teacherPage.getByTestId('local-preview').waitFor();

    for (const page of classroomPages) {
      // Pushed by the server the moment the class started: no reload.
      await page.locator(`[data-testid="join-class"][data-session-id="${sessionId}"]`).click({ timeout: 20_000 });
      await page.waitForURL(new RegExp(`/live/${sessionId}$`));
    }
    for (const page of classroomPages) await expectDecoding(page, 'teacher-video');
  });

  it('a classroom raises its hand, gets the floor, and the teacher decodes its video', async () => {
    const [first] = classroomPages;
    await first.getByTestId('raise-hand').click();
    const item = teacherPage.locator(`[data-testid="hand-queue-item"][data-classroom-id="${rooms[0].id}"]`);
    await item.getByTestId('grant-floor').click({ timeout: 20_000 });
    await first.getByTestId('floor-granted').waitFor({ timeout: 20_000 });
    await expectDecoding(teacherPage, 'talkback-video');
  });

  it('shows the classrooms that the teacher turned her camera off, and her video again when she turns it on', async () => {
    const [, second] = classroomPages;
    await teacherPage.getByTestId('toggle-camera').click();
    await second.getByText('老师暂时关闭了摄像头').waitFor({ timeout: 20_000 });
    await teacherPage.getByTestId('toggle-camera').click();
    await expectDecoding(second, 'teacher-video');
  });
});
