import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { elf, noise, pdf, png } from './support/files.js';
import { eventually } from './support/eventually.js';
import { TestApp, type TestUser } from './support/test-app.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

/** Every file under the store, temp files included: proves nothing partial or orphaned is left. */
function storedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

describe('teacher resources', () => {
  const LIMIT = 300 * 1024;
  let t: TestApp;
  let schoolA: number;
  let schoolB: number;
  let teacher: TestUser;
  let colleague: TestUser;
  let outsider: TestUser;
  let admin: TestUser;
  let course: { id: number };
  let lessonId: number;
  const bearer = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const filesRoot = () => join(t.dataDir, 'files');

  const upload = (u: TestUser, courseId: number, file: Buffer, filename: string, fields: Record<string, string> = {}) => {
    let req = t.http.post(`/api/courses/${courseId}/resources`).set(bearer(u));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, { filename, contentType: 'application/octet-stream' });
  };

  beforeAll(async () => {
    t = await TestApp.create({ UPLOAD_MAX_BYTES: String(LIMIT) });
    schoolA = await t.school('城关一小');
    schoolB = await t.school('山区教学点', 'rural');
    teacher = await t.user('teacher', { schoolId: schoolA });
    colleague = await t.user('teacher', { schoolId: schoolA });
    outsider = await t.user('student', { schoolId: schoolB });
    admin = await t.user('admin');
    course = await t.course(teacher, { title: '分数的初步认识' });
    lessonId = (await t.http.post(`/api/courses/${course.id}/lessons`).set(bearer(teacher)).send({ title: '认识几分之一' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('stores an upload as version 1 with its size, sniffed type and sha256, keeping a Chinese filename', async () => {
    const file = pdf('fractions');
    const res = await upload(teacher, course.id, file, '分数课件.pdf', { title: '分数课件', visibility: 'public', lessonId: String(lessonId) }).expect(201);
    expect(res.body).toMatchObject({
      title: '分数课件',
      kind: 'document',
      visibility: 'public',
      lessonId,
      versionCount: 1,
      latest: { version: 1, filename: '分数课件.pdf', size: file.length, mimeType: 'application/pdf', sha256: sha(file) },
    });
    const dl = await t.http.get(res.body.latest.downloadUrl).buffer(true).parse(binary).expect(200);
    expect(sha(dl.body as Buffer)).toBe(sha(file));
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('分数课件.pdf')}`);
    expect(dl.headers['accept-ranges']).toBe('bytes');
  });

  it('sniffs the type from the content, not from the name or the client', async () => {
    const image = await upload(teacher, course.id, png(), 'notes.pdf').expect(201);
    expect(image.body).toMatchObject({ kind: 'image', latest: { mimeType: 'image/png' } });
    const text = await upload(teacher, course.id, Buffer.from('第一课 教学设计\n一、教学目标\n'), '教案.txt').expect(201);
    expect(text.body).toMatchObject({ kind: 'text', latest: { mimeType: 'text/plain' }, title: '教案' });
  });

  it('refuses a type that is not teaching material with 415 naming what it found, and keeps nothing', async () => {
    const before = storedFiles(filesRoot()).length;
    const res = await upload(teacher, course.id, elf(), 'slides.pdf').expect(415);
    expect(res.body.message).toMatch(/not accepted: elf \(application\/x-elf\)/);
    expect(storedFiles(filesRoot())).toHaveLength(before);
  });

  it('tells the web app the upload limit, so it can refuse a file before sending it', async () => {
    await t.http.get('/api/uploads/limits').expect(200, { maxUploadBytes: LIMIT });
  });

  it('refuses a file over the limit with 413 and leaves no partial file', async () => {
    const before = storedFiles(filesRoot()).length;
    const [{ n: rowsBefore }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    const res = await upload(teacher, course.id, noise(LIMIT + 50_000), 'big.mp4').expect(413);
    expect(res.body.message).toBe('The file is larger than the 300 KB upload limit');
    expect(storedFiles(filesRoot())).toHaveLength(before);
    const [{ n: rowsAfter }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    expect(rowsAfter).toBe(rowsBefore);
  });

  it('leaves no version and no file when the upload is cut off midway', async () => {
    const before = storedFiles(filesRoot()).length;
    const [{ n: rowsBefore }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const boundary = 'cutcutcut';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="video.mp4"\r\nContent-Type: video/mp4\r\n\r\n`;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/courses/${course.id}/resources`,
      headers: { Authorization: `Bearer ${teacher.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': 200_000 },
    });
    const ended = new Promise<void>((resolve) => {
      req.on('error', () => resolve());
      req.on('response', () => resolve());
    });
    req.write(head);
    req.write(noise(60_000));
    try {
      // Cut off once the server is writing the file (its temp file is there), so there is a partial file to clean up.
      await eventually(() => storedFiles(filesRoot()).length > before, { what: "the upload's temp file to appear" });
    } finally {
      req.destroy();
    }
    await ended;
    // The server notices the abort asynchronously and removes the partial file: no file is left, and no version.
    await eventually(
      () => {
        expect(storedFiles(filesRoot())).toHaveLength(before);
        return true;
      },
      { what: 'the partial upload to be removed' },
    );
    const [{ n: rowsAfter }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version');
    expect(rowsAfter).toBe(rowsBefore);
  });

  it('answers Range requests for scrubbing, and 416 past the end', async () => {
    const video = noise(100_000, 7);
    const res = await upload(teacher, course.id, video, '课堂实录.mp4', { visibility: 'public' }).expect(201);
    expect(res.body.kind).toBe('video');
    const url = res.body.latest.downloadUrl;
    const part = await t.http.get(url).set('Range', 'bytes=1000-1999').buffer(true).parse(binary).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${video.length}`);
    expect(Buffer.compare(part.body as Buffer, video.subarray(1000, 2000))).toBe(0);
    const tail = await t.http.get(url).set('Range', 'bytes=-500').buffer(true).parse(binary).expect(206);
    expect(Buffer.compare(tail.body as Buffer, video.subarray(video.length - 500))).toBe(0);
    await t.http.get(url).set('Range', `bytes=${video.length + 10}-`).expect(416);
    const etag = (await t.http.get(url).expect(200)).headers.etag;
    await t.http.get(url).set('If-None-Match', etag).expect(304);
  });

  it('keeps every version immutable and stores identical content once', async () => {
    const v1 = png(8, 8, [10, 10, 10]);
    const v2 = png(8, 8, [250, 250, 250]);
    const created = await upload(teacher, course.id, v1, 'board.png', { visibility: 'school' }).expect(201);
    const id = created.body.id;
    const second = await t.http.post(`/api/resources/${id}/versions`).set(bearer(teacher)).attach('file', v2, 'board-v2.png').expect(201);
    expect(second.body.versionCount).toBe(2);
    expect(second.body.versions.map((v: { version: number; sha256: string }) => [v.version, v.sha256])).toEqual([
      [2, sha(v2)],
      [1, sha(v1)],
    ]);
    const old = await t.http.get(`/api/resources/${id}/download?version=1`).set(bearer(teacher)).buffer(true).parse(binary).expect(200);
    expect(sha(old.body as Buffer)).toBe(sha(v1));
    expect(old.headers['cache-control']).toContain('immutable');

    // The same bytes uploaded again as another resource: a second version row, one blob, one file.
    await upload(teacher, course.id, v1, 'copy.png').expect(201);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM resource_version WHERE blob_sha256 = $1', [sha(v1)]);
    expect(n).toBe(2);
    expect(storedFiles(filesRoot()).filter((f) => f.endsWith(sha(v1)))).toHaveLength(1);

    await expect(t.dataSource.query(`UPDATE resource_version SET filename = 'x' WHERE resource_id = $1`, [id])).rejects.toThrow(/immutable/);
  });

  it('enforces visibility on list, details and download', async () => {
    const mk = async (visibility: string) => (await upload(teacher, course.id, pdf(visibility), `${visibility}.pdf`, { title: `v-${visibility}`, visibility }).expect(201)).body;
    const priv = await mk('private');
    const school = await mk('school');
    const pub = await mk('public');
    const titles = async (u?: TestUser) => {
      const req = t.http.get(`/api/courses/${course.id}/resources`);
      const res = await (u ? req.set(bearer(u)) : req).expect(200);
      return (res.body as { title: string }[]).map((r) => r.title).filter((x) => x.startsWith('v-')).sort();
    };
    expect(await titles(teacher)).toEqual(['v-private', 'v-public', 'v-school']);
    expect(await titles(admin)).toEqual(['v-private', 'v-public', 'v-school']);
    expect(await titles(colleague)).toEqual(['v-public', 'v-school']);
    expect(await titles(outsider)).toEqual(['v-public']);
    expect(await titles()).toEqual(['v-public']);

    await t.http.get(`/api/resources/${priv.id}/download`).set(bearer(colleague)).expect(404);
    await t.http.get(`/api/resources/${school.id}/download`).set(bearer(colleague)).expect(200);
    await t.http.get(`/api/resources/${school.id}/download`).set(bearer(outsider)).expect(404);
    await t.http.get(`/api/resources/${school.id}`).expect(404);
    await t.http.get(`/api/resources/${pub.id}/download`).expect(200);
    await t.http.get(`/api/resources/${pub.id}/download?version=9`).expect(404);
  });

  it('lets only the course teacher or an admin upload, change or delete', async () => {
    const res = await upload(colleague, course.id, pdf(), 'x.pdf').expect(403);
    expect(res.body.message).toMatch(/Only the course's teacher or an admin/);
    await upload(outsider, course.id, pdf(), 'x.pdf').expect(403);
    const mine = (await upload(teacher, course.id, pdf('mine'), 'mine.pdf', { visibility: 'public' }).expect(201)).body;
    await t.http.patch(`/api/resources/${mine.id}`).set(bearer(colleague)).send({ title: 'hijack' }).expect(403);
    await t.http.post(`/api/resources/${mine.id}/versions`).set(bearer(colleague)).attach('file', pdf('evil'), 'evil.pdf').expect(403);
    await t.http.delete(`/api/resources/${mine.id}`).set(bearer(colleague)).expect(403);
    await t.http.patch(`/api/resources/${mine.id}`).set(bearer(admin)).send({ visibility: 'school' }).expect(200);
    await t.http.delete(`/api/resources/${mine.id}`).set(bearer(teacher)).expect(204);
    await t.http.get(`/api/resources/${mine.id}`).set(bearer(teacher)).expect(404);
  });

  it('keeps a hostile filename inside the store and cleans it for display', async () => {
    // RFC 5987 lets a client send any bytes in filename*, control characters and path separators included.
    const boundary = 'hostileboundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\npublic\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2F..%2Fetc%2F%E5%AF%86%E7%A0%81%07%0A.pdf\r\n` +
          `Content-Type: application/pdf\r\n\r\n`,
      ),
      pdf('hostile'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.http
      .post(`/api/courses/${course.id}/resources`)
      .set(bearer(teacher))
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body)
      .expect(201);
    expect(res.body.latest.filename).toBe('密码.pdf');
    expect(storedFiles(filesRoot()).every((f) => f.startsWith(filesRoot()) && /[0-9a-f]{64}$/.test(f))).toBe(true);
    const dl = await t.http.get(res.body.latest.downloadUrl).expect(200);
    expect(dl.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('密码.pdf')}`);

    const dots = await upload(teacher, course.id, pdf('x'), '..', { visibility: 'public' }).expect(201);
    // Named after what it is: a PDF.
    expect(dots.body.latest.filename).toBe('file.pdf');
    // A raw control character in a part header is malformed multipart: refused, nothing stored.
    const before = storedFiles(filesRoot()).length;
    await upload(teacher, course.id, pdf('y'), 'bell\u0007.pdf').expect(400);
    expect(storedFiles(filesRoot())).toHaveLength(before);
  });

  it('validates upload fields and the request shape', async () => {
    const bad = await upload(teacher, course.id, pdf(), 'a.pdf', { visibility: 'everyone' }).expect(400);
    expect(bad.body.details[0]).toMatch(/visibility must be one of/);
    const foreign = await t.course(colleague, { title: '别人的课' });
    const otherLesson = (await t.http.post(`/api/courses/${foreign.id}/lessons`).set(bearer(colleague)).send({ title: 'x' }).expect(201)).body.id;
    const wrongLesson = await upload(teacher, course.id, pdf(), 'a.pdf', { lessonId: String(otherLesson) }).expect(400);
    expect(wrongLesson.body.message).toBe(`Lesson ${otherLesson} is not part of course ${course.id}`);
    const none = await t.http.post(`/api/courses/${course.id}/resources`).set(bearer(teacher)).field('title', 'no file').expect(400);
    expect(none.body.message).toMatch(/No file received/);
    await t.http.post(`/api/courses/${course.id}/resources`).set(bearer(teacher)).send({ title: 'json' }).expect(415);
    const empty = await upload(teacher, course.id, Buffer.alloc(0), 'empty.pdf').expect(400);
    expect(empty.body.message).toBe('The file is empty');
    await upload(teacher, 999999, pdf(), 'a.pdf').expect(404);
  });

  it('sets a course cover image and serves it', async () => {
    const image = png(16, 9);
    const res = await t.http.put(`/api/courses/${course.id}/cover`).set(bearer(teacher)).attach('file', image, '封面.png').expect(200);
    expect(res.body.coverUrl).toMatch(new RegExp(`^/api/courses/${course.id}/cover\\?v=`));
    const got = await t.http.get(res.body.coverUrl).buffer(true).parse(binary).expect(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(sha(got.body as Buffer)).toBe(sha(image));
    await t.http.put(`/api/courses/${course.id}/cover`).set(bearer(teacher)).attach('file', pdf(), 'cover.pdf').expect(415);
    const detail = await t.http.get(`/api/courses/${course.id}`).expect(200);
    expect(detail.body.coverUrl).toBe(res.body.coverUrl);
  });
});
