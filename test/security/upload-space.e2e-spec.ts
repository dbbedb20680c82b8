import { readdirSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { TestApp, type TestUser } from '../support/test-app.js';

/** #11.14: a per-account quota for uploaded files, and a floor of free disk space kept for everything else. */
describe('room for uploads', () => {
  const KB = 1024;
  /** `kb` KiB of text (ASCII, so characters are bytes). */
  const file = (kb: number, fill: string) => Buffer.from(`${fill} `.repeat(Math.ceil((kb * KB) / (fill.length + 1))).slice(0, kb * KB), 'ascii');
  const upload = (t: TestApp, u: TestUser, courseId: number, bytes: Buffer, name: string) =>
    t.http.post(`/api/courses/${courseId}/resources`).set('Authorization', `Bearer ${u.token}`).attach('file', bytes, { filename: name, contentType: 'text/plain' });

  describe('quota', () => {
    let t: TestApp;
    let teacher: TestUser;
    let courseId: number;
    // 1 MB per account.
    beforeAll(async () => {
      t = await TestApp.create({ UPLOAD_QUOTA_MB: '1' });
      teacher = await t.user('teacher');
      courseId = (await t.course(teacher)).id;
    });
    afterAll(() => t.close());

    it('refuses the upload that would pass it, says how to get room, and keeps nothing of it', async () => {
      await upload(t, teacher, courseId, file(600, 'lesson-plan'), 'a.txt').expect(201);
      const refused = await upload(t, teacher, courseId, file(600, 'slides'), 'b.txt').expect(413);
      expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/^This upload would take your files to \d+ MB, over your 1 MB: delete resources/) });
      expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
      expect(n).toBe(1);
      // Another teacher has a quota of her own; admins have none.
      const other = await t.user('teacher');
      await upload(t, other, (await t.course(other)).id, file(600, 'slides'), 'b.txt').expect(201);
      const admin = await t.user('admin');
      await upload(t, admin, courseId, file(900, 'exam-paper'), 'c.txt').expect(201);
    });
  });

  describe('free-space floor', () => {
    let t: TestApp;
    let teacher: TestUser;
    // More than any test machine has free: every upload meets the floor.
    beforeAll(async () => {
      t = await TestApp.create({ UPLOAD_MIN_FREE_MB: String(1024 * 1024 * 1024) });
      teacher = await t.user('teacher');
    });
    afterAll(() => t.close());

    it('pauses uploads with 507 and what to do, before reading the file', async () => {
      const res = await upload(t, teacher, (await t.course(teacher)).id, file(10, 'lesson-plan'), 'a.txt').expect(507);
      expect(res.body).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/^The server is nearly out of disk space \(\d+ MB free, \d+ MB kept free\): uploads are paused/) });
      expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);
    });
  });

  describe('free-space floor, an upload that fits', () => {
    const MB = 1024 * 1024;
    const SIZE = 40 * MB;
    let t: TestApp;
    let teacher: TestUser;
    // The floor sits 1.5 uploads under the free space: the upload fits (20 MB to spare). Counted twice, once as the
    // temporary file on the disk and again as to come, it did not (the server read 40 MB and then refused it).
    beforeAll(async () => {
      const probe = await TestApp.create();
      const s = await statfs(probe.dataDir);
      await probe.close();
      const floorMb = Math.floor((s.bavail * s.bsize - 1.5 * SIZE) / MB);
      t = await TestApp.create({ UPLOAD_MIN_FREE_MB: String(floorMb), UPLOAD_MAX_BYTES: String(64 * MB) });
      teacher = await t.user('teacher');
    });
    afterAll(() => t.close());

    it('takes an upload that leaves the floor free, counting its bytes once', async () => {
      await upload(t, teacher, (await t.course(teacher)).id, file(SIZE / KB, 'lecture-recording'), 'a.txt').expect(201);
    });
  });
});
