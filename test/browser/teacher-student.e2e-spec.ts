import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { noise } from '../support/files.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * In headless Chromium against the built web app: a teacher creates a course and uploads a video with a
 * progress bar; a student finds the course by a Chinese search and downloads the file intact.
 */
describe('web app: teacher shares, student finds and downloads', () => {
  let t: TestApp;
  let base: string;
  let teacher: TestUser;
  let student: TestUser;
  const browsers: Browser[] = [];
  const video = noise(3 * 1024 * 1024, 42);
  const title = '分数的初步认识（浏览器）';

  beforeAll(async () => {
    t = await TestApp.create({ SERVE_CLIENT: 'true', CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist') });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const school = await t.school('城关一小');
    teacher = await t.user('teacher', { schoolId: school, name: '张老师', email: 'zhang@browser.test' });
    student = await t.user('student', { name: '小明', email: 'xiaoming@browser.test' });
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await t.close();
  });

  async function loginPage(email: string) {
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await browser.context.newPage();
    await logIn(page, base, email, PASSWORD);
    return page;
  }

  it('a teacher creates a course and uploads a resource, watching the progress bar finish', async () => {
    const page = await loginPage(teacher.email);
    await page.goto(`${base}/my/courses`);
    await page.getByTestId('new-course-button').click();
    await page.getByTestId('course-title-input').fill(title);
    await page.getByTestId('course-description-input').fill('借助图形认识几分之一');
    await page.getByTestId('course-subject-select').selectOption({ label: '数学' });
    await page.getByTestId('course-grade-select').selectOption({ label: '三年级' });
    await page.getByTestId('course-status-select').selectOption('published');
    await page.getByTestId('course-save').click();
    await page.waitForURL(/\/my\/courses\/\d+$/);

    await page.getByTestId('resource-title-input').fill('课堂实录');
    await page.getByTestId('resource-visibility-select').selectOption('public');
    await page.getByTestId('resource-file-input').setInputFiles({ name: '课堂实录.mp4', mimeType: 'video/mp4', buffer: video });
    await page.getByTestId('resource-upload').click();
    await page.getByTestId('upload-done').waitFor();
    expect(await page.getByTestId('upload-progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(100);
    await page.getByTestId('resource-item').filter({ hasText: '课堂实录' }).waitFor();

    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM resource_version v JOIN blob b ON b.sha256 = v.blob_sha256 WHERE b.sha256 = $1`, [sha(video)]);
    expect(n).toBe(1);
  });

  it('a student finds the course by a Chinese search and downloads the file intact', async () => {
    const page = await loginPage(student.email);
    await page.goto(`${base}/`);
    await page.getByTestId('search-input').fill('分数');
    await page.getByTestId('search-input').press('Enter');
    const card = page.getByTestId('course-card').filter({ hasText: title });
    await card.waitFor();
    await card.getByRole('link', { name: title }).click();
    await page.getByTestId('course-title').filter({ hasText: title }).waitFor();
    const item = page.getByTestId('resource-item').filter({ hasText: '课堂实录' });
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('resource-download').click()]);
    expect(download.suggestedFilename()).toBe('课堂实录.mp4');
    const saved = readFileSync((await download.path())!);
    expect(saved.length).toBe(video.length);
    expect(sha(saved)).toBe(sha(video));
  });
});
