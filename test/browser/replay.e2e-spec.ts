import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { RecordingDto } from '../../src/contracts/api.js';
import { RecordingsService } from '../../src/recordings/recordings.service.js';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { writeRecordedParts } from '../support/recorded-parts.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';

/**
 * A student replays a recorded class in headless Chromium with hls.js: it plays, she seeks, leaves, comes back
 * and it resumes where she stopped; she downloads the MP4, which holds picture and sound.
 */
describe('web app: replaying a recorded class', () => {
  let t: TestApp;
  let base: string;
  let student: TestUser;
  let courseId: number;
  let recordingId: number;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await TestApp.create({ SERVE_CLIENT: 'true', CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist') });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const city = await t.school('城关一小');
    const rural = await t.school('上湾教学点', 'rural');
    const teacher = await t.user('teacher', { schoolId: city, name: '王老师' });
    student = await t.user('student', { schoolId: rural, name: '小红', email: 'xiaohong@replay.test' });
    const device = await t.user('classroom', { schoolId: rural });
    const [{ id: classroomId }] = await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, '三年级', 3, $2) RETURNING id`, [rural, device.id]);
    courseId = (await t.course(teacher, { title: '分数的初步认识' })).id;
    const start = new Date(Date.now() - 2 * 3600_000);
    const [{ id: sessionId }] = await t.dataSource.query(
      `INSERT INTO class_session (course_id, teacher_id, title, starts_at, ends_at, status) VALUES ($1, $2, '分数的意义', $3, $4, 'ended') RETURNING id`,
      [courseId, teacher.id, start, new Date(start.getTime() + 40 * 60_000)],
    );
    await t.dataSource.query(`INSERT INTO session_classroom (session_id, classroom_id) VALUES ($1, $2)`, [sessionId, classroomId]);
    const [{ id }] = await t.dataSource.query(`INSERT INTO recording (session_id, status, parts) VALUES ($1, 'processing', 2) RETURNING id`, [sessionId]);
    recordingId = id;
    const service = t.app.get(RecordingsService);
    writeRecordedParts(service.folder(id), [
      { seconds: 16, sources: ['mic', 'camera'] },
      { seconds: 14, sources: ['mic', 'camera', 'screen'] },
    ]);
    await service.sweep();
    await service.idle();
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    page = await browser.context.newPage();
    await logIn(page, base, student.email, PASSWORD);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const video = () => page.getByTestId('replay-video');
  const currentTime = () => video().evaluate((v) => (v as unknown as { currentTime: number }).currentTime);
  /** Until the video's currentTime passes `predicate`; returns it. */
  async function waitForTime(predicate: (s: number) => boolean, what: string): Promise<number> {
    const { s } = await eventually(
      async () => {
        const s = await currentTime();
        if (!predicate(s)) throw new Error(`currentTime ${s}`);
        return { s };
      },
      { what: `the video to have ${what}`, timeoutMs: 20_000, intervalMs: 200 },
    );
    return s;
  }

  it('finds the recording on the course page and plays it', async () => {
    await page.goto(`${base}/courses/${courseId}`);
    await page.getByTestId('course-recordings').waitFor();
    await page.getByTestId(`recording-link-${recordingId}`).click();
    await page.waitForURL(new RegExp(`/recordings/${recordingId}$`));
    await video().waitFor();
    await page.getByTestId('replay-chapter').first().waitFor();
    await video().evaluate((v) => {
      const el = v as unknown as { muted: boolean; play(): Promise<void> };
      el.muted = true;
      return el.play();
    });
    await waitForTime((s) => s > 1.5, 'advanced');
  });

  it('seeks, changes speed, and remembers where she stopped when she leaves', async () => {
    await video().evaluate((v) => {
      (v as unknown as { currentTime: number }).currentTime = 20;
    });
    await waitForTime((s) => s > 20.5, 'played on after the seek');
    await page.getByTestId('replay-speed').selectOption('1.5');
    expect(await video().evaluate((v) => (v as unknown as { playbackRate: number }).playbackRate)).toBe(1.5);
    const left = await currentTime();
    await page.goto(`${base}/`); // leaving saves the position
    const { saved } = await eventually(
      async () => {
        const saved = ((await t.http.get(`/api/recordings/${recordingId}`).auth(student.token, { type: 'bearer' })).body as RecordingDto).myPositionSeconds;
        return saved !== null && { saved };
      },
      { what: 'her position to be saved', intervalMs: 250 },
    );
    expect(Math.abs(saved - left)).toBeLessThan(3);
  });

  it('comes back and resumes near where she stopped', async () => {
    const saved = ((await t.http.get(`/api/recordings/${recordingId}`).auth(student.token, { type: 'bearer' })).body as RecordingDto).myPositionSeconds!;
    await page.goto(`${base}/recordings/${recordingId}`);
    await page.getByTestId('replay-resumed').waitFor({ timeout: 20_000 });
    const at = await waitForTime((s) => s > 0, 'moved to the saved position');
    expect(Math.abs(at - saved)).toBeLessThan(3);
  });

  it('downloads the MP4 with picture and sound', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('replay-download').click()]);
    const file = join(t.dataDir, 'download.mp4');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/\.mp4$/);
    const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]).toString();
    expect(streams.split('\n').filter(Boolean).sort()).toEqual(['aac', 'h264']);
  });
});
