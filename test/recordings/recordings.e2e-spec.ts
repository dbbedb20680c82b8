import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingDto } from '../../src/contracts/api.js';
import { RecordingsService } from '../../src/recordings/recordings.service.js';
import { writeRecordedParts } from '../support/recorded-parts.js';
import { TestApp, type TestUser } from '../support/test-app.js';

/**
 * Recordings over HTTP on the real application: processing real HLS parts into an MP4, who may watch,
 * playlists and segments with Range, where a viewer stopped, retry, retention's delete, and bad input.
 */
describe('recordings API', () => {
  let t: TestApp;
  let service: RecordingsService;
  let teacher: TestUser;
  let otherTeacher: TestUser;
  let admin: TestUser;
  let device: TestUser;
  let student: TestUser;
  let strangerStudent: TestUser;
  let sessionId: number;
  let recordingId: number;
  const bearer = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

  beforeAll(async () => {
    t = await TestApp.create({ RECORDING_MIN_FREE_MB: '1' });
    service = t.app.get(RecordingsService);
    const city = await t.school('城关一小');
    const rural = await t.school('上湾教学点', 'rural');
    const elsewhere = await t.school('别处小学', 'rural');
    teacher = await t.user('teacher', { schoolId: city });
    otherTeacher = await t.user('teacher', { schoolId: city });
    admin = await t.user('admin');
    device = await t.user('classroom', { schoolId: rural });
    student = await t.user('student', { schoolId: rural });
    strangerStudent = await t.user('student', { schoolId: elsewhere });
    const [{ id: classroomId }] = await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, '三年级', 3, $2) RETURNING id`, [rural, device.id]);
    const course = await t.course(teacher, { title: '分数的初步认识' });
    const start = new Date(Date.now() - 60 * 60_000);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO class_session (course_id, teacher_id, title, starts_at, ends_at, status) VALUES ($1, $2, '第一课', $3, $4, 'ended') RETURNING id`,
      [course.id, teacher.id, start, new Date(start.getTime() + 40 * 60_000)],
    );
    sessionId = id;
    await t.dataSource.query(`INSERT INTO session_classroom (session_id, classroom_id) VALUES ($1, $2)`, [sessionId, classroomId]);
    // What the recorder leaves when a class ends: parts on disk, the recording being processed.
    const [{ id: rid }] = await t.dataSource.query(`INSERT INTO recording (session_id, status, parts) VALUES ($1, 'processing', 2) RETURNING id`, [sessionId]);
    recordingId = rid;
    writeRecordedParts(service.folder(recordingId), [
      { seconds: 6, sources: ['mic', 'camera'] },
      { seconds: 4, sources: ['mic', 'camera', 'screen'] },
    ], { renditions: true });
  }, 60_000);
  afterAll(() => t.close());

  it('processes the parts into an MP4 with both streams, a poster, the duration and a chapter mark', async () => {
    await service.sweep();
    await service.idle();
    const res = await t.http.get(`/api/recordings/${recordingId}`).set(bearer(student)).expect(200);
    const rec = res.body as RecordingDto;
    expect(rec.status).toBe('ready');
    expect(rec.progress).toBe(100);
    expect(rec.durationSeconds).toBeGreaterThan(9);
    expect(rec.durationSeconds).toBeLessThan(11);
    expect(rec.chapters).toEqual([{ atSeconds: 6, kind: 'screen' }]);
    expect(rec.sizeBytes).toBeGreaterThan(100_000);
    expect(rec.mp4Url).toBe(`/api/recordings/${recordingId}/video.mp4`);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', join(service.folder(recordingId), 'recording.mp4')]).toString();
    expect(probe.split('\n').filter(Boolean).sort()).toEqual(['aac', 'h264']);
  }, 60_000);

  it('lets the teacher, admins, the booked classroom and its school\u2019s students watch; nobody else', async () => {
    for (const u of [teacher, admin, device, student]) await t.http.get(`/api/recordings/${recordingId}`).set(bearer(u)).expect(200);
    for (const u of [otherTeacher, strangerStudent]) {
      await t.http.get(`/api/recordings/${recordingId}`).set(bearer(u)).expect(404);
      await t.http.get(`/api/recordings/${recordingId}/hls/index.m3u8`).set(bearer(u)).expect(404);
      await t.http.get(`/api/recordings/${recordingId}/video.mp4`).set(bearer(u)).expect(404);
    }
    await t.http.get(`/api/recordings/${recordingId}/video.mp4`).expect(401);
    const mine = await t.http.get(`/api/recordings?courseId=${(await t.http.get(`/api/recordings/${recordingId}`).set(bearer(student))).body.courseId}`).set(bearer(student)).expect(200);
    expect(mine.body.items.map((r: RecordingDto) => r.id)).toEqual([recordingId]);
    const none = await t.http.get('/api/recordings').set(bearer(strangerStudent)).expect(200);
    expect(none.body.total).toBe(0);
    await t.http.get(`/api/sessions/${sessionId}/recording`).set(bearer(device)).expect(200);
  });

  it('serves a VOD playlist over both parts, segments and the MP4 with Range, and 416 past the end', async () => {
    const pl = await t.http.get(`/api/recordings/${recordingId}/hls/index.m3u8`).set(bearer(student)).expect(200);
    expect(pl.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    expect(pl.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(pl.text).toContain('#EXT-X-DISCONTINUITY');
    expect(pl.text).toContain('#EXT-X-ENDLIST');
    const seg = pl.text.split('\n').find((l) => l.endsWith('.ts'))!;
    const s = await t.http.get(`/api/recordings/${recordingId}/hls/${seg}`).set(bearer(student)).expect(200);
    expect(s.headers['content-type']).toBe('video/mp2t');
    expect(s.headers['cache-control']).toContain('immutable');
    const part = await t.http.get(`/api/recordings/${recordingId}/video.mp4`).set(bearer(student)).set('Range', 'bytes=0-99').expect(206);
    expect(part.headers['content-range']).toMatch(/^bytes 0-99\/\d+$/);
    expect(part.headers['content-disposition']).toContain('.mp4');
    const size = Number(part.headers['content-range'].split('/')[1]);
    await t.http.get(`/api/recordings/${recordingId}/video.mp4`).set(bearer(student)).set('Range', `bytes=${size + 10}-`).expect(416);
    await t.http.get(`/api/recordings/${recordingId}/poster.jpg`).set(bearer(student)).expect('Content-Type', 'image/jpeg').expect(200);
  });

  it('serves a master playlist over the 720p, 360p and voice-only renditions, each joined over the parts', async () => {
    const master = await t.http.get(`/api/recordings/${recordingId}/hls/master.m3u8`).set(bearer(student)).expect(200);
    expect(master.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    const variants = master.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(variants).toEqual(['index.m3u8', 'low.m3u8', 'audio.m3u8']);
    expect(master.text).toMatch(/BANDWIDTH=80000,CODECS="mp4a.40.2"\naudio.m3u8/);
    for (const rendition of ['low', 'audio']) {
      const pl = await t.http.get(`/api/recordings/${recordingId}/hls/${rendition}.m3u8`).set(bearer(student)).expect(200);
      const segs = pl.text.split('\n').filter((l) => l.endsWith('.ts'));
      expect(segs[0]).toBe(`part-001/${rendition}/seg-00000.ts`);
      expect(pl.text).toContain('#EXT-X-DISCONTINUITY');
      const seg = await t.http.get(`/api/recordings/${recordingId}/hls/${segs.at(-1)}`).set(bearer(student)).expect(200);
      expect(seg.headers['content-type']).toBe('video/mp2t');
    }
    // Someone who may not watch the recording gets none of its renditions either.
    await t.http.get(`/api/recordings/${recordingId}/hls/master.m3u8`).set(bearer(strangerStudent)).expect(404);
  });

  it('refuses names that are not segments, and ids that are not ids', async () => {
    await t.http.get(`/api/recordings/${recordingId}/hls/part-001/high/seg-00000.ts`).set(bearer(student)).expect(400);
    await t.http.get(`/api/recordings/${recordingId}/hls/part-001/..%2F..%2Fpg.ts`).set(bearer(student)).expect(400);
    await t.http.get(`/api/recordings/${recordingId}/hls/part-001/seg-99999.ts`).set(bearer(student)).expect(404);
    await t.http.get('/api/recordings/abc').set(bearer(student)).expect(400);
    await t.http.get('/api/recordings/999999').set(bearer(student)).expect(404);
    await t.http.get('/api/recordings?status=bogus').set(bearer(student)).expect(400);
  });

  it('remembers where each viewer stopped, and refuses positions that are not in the recording', async () => {
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(student)).send({ positionSeconds: 4.5 }).expect(204);
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(student)).send({ positionSeconds: 5.25 }).expect(204);
    expect((await t.http.get(`/api/recordings/${recordingId}`).set(bearer(student))).body.myPositionSeconds).toBe(5.25);
    expect((await t.http.get(`/api/recordings/${recordingId}`).set(bearer(device))).body.myPositionSeconds).toBeNull();
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(student)).send({ positionSeconds: -1 }).expect(400);
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(student)).send({ positionSeconds: 'x' }).expect(400);
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(student)).send({ positionSeconds: 5000 }).expect(409);
    await t.http.put(`/api/recordings/${recordingId}/progress`).set(bearer(strangerStudent)).send({ positionSeconds: 1 }).expect(404);
  });

  it('shows the admin the space used; a retry is only for failed recordings', async () => {
    const st = await t.http.get('/api/recordings/storage').set(bearer(admin)).expect(200);
    expect(st.body.recordings).toBe(1);
    expect(st.body.bytesUsed).toBeGreaterThan(100_000);
    expect(st.body.bytesFree).toBeGreaterThan(0);
    await t.http.get('/api/recordings/storage').set(bearer(teacher)).expect(403);
    await t.http.post(`/api/recordings/${recordingId}/retry`).set(bearer(teacher)).expect(409);
    await t.http.post(`/api/recordings/${recordingId}/retry`).set(bearer(student)).expect(403);
  });

  it('marks a recording whose parts hold nothing as failed with the reason, and retries it', async () => {
    const [{ id: sid }] = await t.dataSource.query(
      `INSERT INTO class_session (course_id, teacher_id, title, starts_at, ends_at, status)
       SELECT course_id, teacher_id, '第二课', starts_at + interval '1 day', ends_at + interval '1 day', 'ended' FROM class_session WHERE id = $1 RETURNING id`,
      [sessionId],
    );
    const [{ id }] = await t.dataSource.query(`INSERT INTO recording (session_id, status) VALUES ($1, 'processing') RETURNING id`, [sid]);
    await service.sweep();
    await service.idle();
    const failed = (await t.http.get(`/api/recordings/${id}`).set(bearer(teacher)).expect(200)).body as RecordingDto;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/Nothing was recorded/);
    writeRecordedParts(service.folder(id), [{ seconds: 3, sources: ['mic'] }, { seconds: 3, sources: ['mic'] }]);
    // A segment cut short as its recorder stopped: listed, but not readable. The rest of the class is kept.
    const part2 = join(service.folder(id), 'part-002');
    writeFileSync(join(part2, 'seg-00009.ts'), Buffer.alloc(400, 7));
    appendFileSync(join(part2, 'index.m3u8'), '#EXTINF:2.000000,\nseg-00009.ts\n');
    const retried = await t.http.post(`/api/recordings/${id}/retry`).set(bearer(teacher)).expect(200);
    expect(['processing', 'ready']).toContain(retried.body.status);
    await service.idle();
    const ready = (await t.http.get(`/api/recordings/${id}`).set(bearer(teacher))).body as RecordingDto;
    expect(ready.status).toBe('ready');
    expect(ready.durationSeconds).toBeGreaterThan(5);
    expect(ready.durationSeconds).toBeLessThan(7);
  }, 30_000);

  it('turns recording off for a scheduled session (its teacher or an admin only)', async () => {
    const start = new Date(Date.now() + 24 * 3600_000);
    const s = await t.http
      .post('/api/sessions')
      .set(bearer(teacher))
      .send({ courseId: (await t.http.get(`/api/recordings/${recordingId}`).set(bearer(teacher))).body.courseId, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
      .expect(201);
    expect(s.body.record).toBe(true);
    const off = await t.http.put(`/api/sessions/${s.body.id}/recording`).set(bearer(teacher)).send({ record: false }).expect(200);
    expect(off.body.record).toBe(false);
    // Another teacher's session and a session that does not exist get the same answer.
    const foreign = await t.http.put(`/api/sessions/${s.body.id}/recording`).set(bearer(otherTeacher)).send({ record: true }).expect(404);
    const missing = await t.http.put('/api/sessions/987654/recording').set(bearer(otherTeacher)).send({ record: true }).expect(404);
    expect(foreign.body.message).toBe(`Session ${s.body.id} does not exist`);
    expect(missing.body.message).toBe('Session 987654 does not exist');
    await t.http.put(`/api/sessions/${s.body.id}/recording`).set(bearer(teacher)).send({ record: 'yes' }).expect(400);
    await t.http.put(`/api/sessions/${sessionId}/recording`).set(bearer(teacher)).send({ record: false }).expect(409);
  });

  it('deletes: files gone, 410 for its media, hidden from students\u2019 lists; retention deletes old ones by itself', async () => {
    await t.http.delete(`/api/recordings/${recordingId}`).set(bearer(student)).expect(403);
    await t.http.delete(`/api/recordings/${recordingId}`).set(bearer(teacher)).expect(204);
    expect(existsSync(service.folder(recordingId))).toBe(false);
    await t.http.get(`/api/recordings/${recordingId}/hls/index.m3u8`).set(bearer(student)).expect(410);
    await t.http.get(`/api/recordings/${recordingId}/video.mp4`).set(bearer(student)).expect(410);
    expect((await t.http.get(`/api/recordings/${recordingId}`).set(bearer(student)).expect(200)).body.status).toBe('deleted');
    expect((await t.http.get('/api/recordings').set(bearer(student))).body.items.map((r: RecordingDto) => r.id)).not.toContain(recordingId);

    // Retention: a recording of a class that ended long ago is deleted by the sweep.
    const ret = await TestApp.create({ RECORDING_RETENTION_DAYS: '30' });
    try {
      const svc = ret.app.get(RecordingsService);
      const tch = await ret.user('teacher');
      const course = await ret.course(tch);
      const [{ id: sid }] = await ret.dataSource.query(
        `INSERT INTO class_session (course_id, teacher_id, title, starts_at, ends_at, status) VALUES ($1, $2, '旧课', now() - interval '40 days', now() - interval '40 days' + interval '40 minutes', 'ended') RETURNING id`,
        [course.id, tch.id],
      );
      const [{ id: old }] = await ret.dataSource.query(`INSERT INTO recording (session_id, status) VALUES ($1, 'failed') RETURNING id`, [sid]);
      writeRecordedParts(svc.folder(old), [{ seconds: 2, sources: ['mic'] }]);
      await svc.sweep();
      expect(existsSync(svc.folder(old))).toBe(false);
      const [{ status }] = await ret.dataSource.query(`SELECT status FROM recording WHERE id = $1`, [old]);
      expect(status).toBe('deleted');
    } finally {
      await ret.close();
    }
  }, 30_000);
});
