import type { Page } from 'playwright-core';
import { eventually } from './eventually.js';
import type { TestApp, TestUser } from './test-app.js';

/** Frames decoded by the <video> with this test id, read twice a few seconds apart: both rising proves live video. */
export async function decodedFrames(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const v = el as unknown as { getVideoPlaybackQuality(): { totalVideoFrames: number } };
    return v.getVideoPlaybackQuality().totalVideoFrames;
  });
}

/** The video with this test id appears, decodes at least 5 frames, and keeps decoding (more frames later). */
export async function expectDecoding(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).waitFor({ timeout: 20_000 });
  const first = await eventually(
    async () => {
      const frames = await decodedFrames(page, testId);
      expect(frames).toBeGreaterThanOrEqual(5);
      return frames;
    },
    { what: `the video ${testId} to decode 5 frames`, timeoutMs: 20_000, intervalMs: 200 },
  );
  // …and goes on decoding: a later frame count above this one.
  await eventually(
    async () => {
      expect(await decodedFrames(page, testId)).toBeGreaterThan(first);
      return true;
    },
    { what: `the video ${testId} to decode further frames`, intervalMs: 200 },
  );
}

export interface BookedClass {
  teacher: TestUser;
  rooms: { device: TestUser; id: number; name: string }[];
  sessionId: number;
}

/**
 * A city teacher's class starting in two minutes, with classrooms of a rural teaching point booked on it
 * (device logins `room-<letter>@<domain>`), made through the API as an administrator's timetable would.
 */
export async function bookedClass(t: TestApp, domain: string, classrooms: string[]): Promise<BookedClass> {
  const city = await t.school('城关一小');
  const rural = await t.school('上湾教学点', 'rural');
  const teacher = await t.user('teacher', { schoolId: city, name: '王老师', email: `wang@${domain}` });
  const rooms: BookedClass['rooms'] = [];
  for (const [i, name] of classrooms.entries()) {
    const device = await t.user('classroom', { schoolId: rural, email: `room-${String.fromCharCode(97 + i)}@${domain}` });
    const [{ id }] = (await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`, [
      rural,
      name,
      device.id,
    ])) as { id: number }[];
    rooms.push({ device, id, name });
  }
  const course = await t.course(teacher, { title: '《春天在哪里》歌唱课', subjectId: 4, gradeId: 3 });
  const start = new Date(Date.now() + 2 * 60_000);
  const s = await t.http
    .post('/api/sessions')
    .auth(teacher.token, { type: 'bearer' })
    .send({ courseId: course.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 40 * 60_000).toISOString() })
    .expect(201);
  const sessionId = (s.body as { id: number }).id;
  for (const r of rooms) {
    await t.http.post(`/api/sessions/${sessionId}/classrooms`).auth(teacher.token, { type: 'bearer' }).send({ classroomId: r.id }).expect(201);
  }
  return { teacher, rooms, sessionId };
}
