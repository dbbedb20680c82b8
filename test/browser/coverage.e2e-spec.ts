import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';

/**
 * In headless Chromium: an admin opens the coverage matrix, clicks a rural classroom's music gap, books the
 * suggested session of a city teacher, and the gap closes.
 */
describe('web app: closing a coverage gap', () => {
  let t: TestApp;
  let base: string;
  let admin: TestUser;
  let browser: Browser;
  let roomId: number;
  let sessionId: number;

  beforeAll(async () => {
    t = await TestApp.create({ SERVE_CLIENT: 'true', CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist') });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await seedDemo(t.dataSource, t.dataDir, () => {});
    admin = await t.user('admin', { email: 'admin@coverage.test', name: '管理员' });
    const auth = { Authorization: `Bearer ${admin.token}` };
    // Grade 3 needs one music period a week; 王老师 teaches a grade-3 music class on Monday 7 June 2027.
    await t.http.put('/api/curriculum-requirements').set(auth).send({ gradeId: 3, subjectId: 4, periodsPerWeek: 1 }).expect(200);
    const [course] = await t.dataSource.query(`SELECT id FROM course WHERE title = '《春天在哪里》歌唱课'`);
    const s = await t.http
      .post('/api/sessions')
      .set(auth)
      .send({ courseId: course.id, startsAt: '2027-06-07T09:00:00+08:00', endsAt: '2027-06-07T09:40:00+08:00' })
      .expect(201);
    sessionId = s.body.id;
    const [room] = await t.dataSource.query(
      `SELECT r.id FROM classroom r JOIN school s ON s.id = r.school_id WHERE s.name = '秦祁教学点' AND r.grade_id = 3`,
    );
    roomId = room.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('books a suggested session from a gap and the gap closes', async () => {
    const page = await browser.context.newPage();
    await logIn(page, base, admin.email, PASSWORD);

    await page.goto(`${base}/admin/coverage`);
    // The page first loads this week's matrix; filling the dates before that settles could be overwritten.
    await page.getByTestId('coverage-cell').first().waitFor();
    await page.getByTestId('coverage-from').fill('2027-06-07');
    await page.getByTestId('coverage-to').fill('2027-06-13');
    const cell = page.locator(`[data-testid="coverage-cell"][data-classroom-id="${roomId}"][data-subject-id="4"]`);
    await cell.waitFor();
    await expectAttribute(cell, 'data-gap', '1');
    await cell.click();

    const suggestion = page.getByTestId('suggestion-item').first();
    await suggestion.waitFor();
    await suggestion.getByTestId('suggestion-book').click();
    await expectAttribute(cell, 'data-gap', '0');

    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM session_classroom WHERE session_id = $1 AND classroom_id = $2', [sessionId, roomId]);
    expect(n).toBe(1);
  });
});

/** Waits (up to 10 s) for the element's attribute to read `value`; fails with what it last read. */
async function expectAttribute(locator: import('playwright-core').Locator, name: string, value: string): Promise<void> {
  await eventually(
    async () => {
      expect(await locator.getAttribute(name)).toBe(value);
      return true;
    },
    { what: `${name} to read ${JSON.stringify(value)}` },
  );
}
