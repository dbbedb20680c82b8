import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { BlobCollector } from '../../src/resources/blob-collector.js';
import { BlobStore } from '../../src/resources/storage/blob-store.js';
import { untilWaitingForLock } from '../support/locks.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * #11.6: stored files nothing refers to any more are collected, and never one an upload of the same bytes is
 * recording at that moment, whichever of the two comes first.
 */
describe('collecting unreferenced files', () => {
  let t: TestApp;
  let teacher: TestUser;
  let courseId: number;
  let collector: BlobCollector;
  let store: BlobStore;
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const upload = (bytes: Buffer, name: string) =>
    t.http.post(`/api/courses/${courseId}/resources`).set('Authorization', `Bearer ${teacher.token}`).attach('file', bytes, { filename: name, contentType: 'text/plain' });
  const remove = (id: number) => t.http.delete(`/api/resources/${id}`).set('Authorization', `Bearer ${teacher.token}`).expect(204);

  beforeAll(async () => {
    t = await TestApp.create();
    teacher = await t.user('teacher');
    courseId = (await t.course(teacher)).id;
    collector = t.app.get(BlobCollector);
    store = t.app.get(BlobStore);
  });
  afterAll(() => t.close());

  it('removes a file once no version refers to it, and keeps one that is still referred to', async () => {
    const kept = Buffer.from('第二课 仍在使用\n');
    const gone = Buffer.from('第一课 已删除\n');
    await upload(kept, 'kept.txt').expect(201);
    const doomed = (await upload(gone, 'gone.txt').expect(201)).body.id as number;
    await remove(doomed);
    expect(await collector.collect(0)).toBe(1);
    expect(existsSync(store.pathFor(sha(gone)))).toBe(false);
    expect(existsSync(store.pathFor(sha(kept)))).toBe(true);
    expect(await collector.collect(0)).toBe(0);
  });

  it('skips a file an upload of the same bytes is recording right now', async () => {
    const bytes = Buffer.from('第三课 同时上传\n');
    await remove((await upload(bytes, 'a.txt').expect(201)).body.id);
    const url = (t.dataSource.options as { url: string }).url;
    const uploadTx = new Client({ connectionString: url });
    await uploadTx.connect();
    try {
      // What an upload's transaction holds between recording the blob and its version (lockBlob).
      await uploadTx.query('BEGIN');
      await uploadTx.query('UPDATE blob SET created_at = now() WHERE sha256 = $1', [sha(bytes)]);
      expect(await collector.collect(0)).toBe(0);
      expect(existsSync(store.pathFor(sha(bytes)))).toBe(true);
      await uploadTx.query('ROLLBACK');
    } finally {
      await uploadTx.end();
    }
    expect(await collector.collect(0)).toBe(1);
  });

  it('lets an upload of the same bytes wait for a collection under way, then puts the file back', async () => {
    const bytes = Buffer.from('第四课 收集中上传\n');
    await remove((await upload(bytes, 'b.txt').expect(201)).body.id);
    const url = (t.dataSource.options as { url: string }).url;
    const gcTx = new Client({ connectionString: url });
    await gcTx.connect();
    try {
      // A collection that has locked the blob's row and removed its file, not yet committed.
      await gcTx.query('BEGIN');
      await gcTx.query('SELECT sha256 FROM blob WHERE sha256 = $1 FOR UPDATE', [sha(bytes)]);
      await store.remove(sha(bytes));
      const again = upload(bytes, 'b-again.txt').then((r) => r);
      await untilWaitingForLock(gcTx, t.dataSource, again, 'the upload of the same bytes');
      await gcTx.query('DELETE FROM blob WHERE sha256 = $1', [sha(bytes)]);
      await gcTx.query('COMMIT');
      const res = await again;
      expect(res.status).toBe(201);
      const download = await t.http.get(res.body.latest.downloadUrl).set('Authorization', `Bearer ${teacher.token}`).buffer(true).expect(200);
      expect(download.text).toBe(bytes.toString());
      expect(existsSync(store.pathFor(sha(bytes)))).toBe(true);
    } finally {
      await gcTx.end();
    }
  });
});
