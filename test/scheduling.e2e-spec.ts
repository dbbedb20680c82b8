import ical from 'node-ical';
import { seedDemo } from '../src/seed/seed-demo.js';
import { TestApp, type TestUser } from './support/test-app.js';

/** A Monday far enough ahead that "not yet started" holds for years; Beijing time. */
const MON = '2027-03-01';
const at = (date: string, time: string) => `${date}T${time}:00+08:00`;

describe('scheduling and coverage', () => {
  let t: TestApp;
  let admin: TestUser;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  let rooms: Record<string, { id: number; gradeId: number; deviceEmail: string }> = {};
  let courses: Record<string, { id: number; teacherId: number; gradeId: number }> = {};

  const session = async (course: string, start: string, end: string, extra: object = {}) =>
    (await t.http.post('/api/sessions').set(as(admin)).send({ courseId: courses[course].id, startsAt: start, endsAt: end, ...extra }).expect(201)).body;
  const book = (sessionId: number, room: string, extra: object = {}) =>
    t.http.post(`/api/sessions/${sessionId}/classrooms`).set(as(admin)).send({ classroomId: rooms[room].id, ...extra });

  beforeAll(async () => {
    t = await TestApp.create();
    await seedDemo(t.dataSource, t.dataDir, () => {});
    admin = await t.user('admin');
    const r = (await t.dataSource.query(
      `SELECT r.id, r.grade_id AS "gradeId", s.name || ' ' || r.name AS name, u.email AS "deviceEmail"
       FROM classroom r JOIN school s ON s.id = r.school_id JOIN app_user u ON u.id = r.device_user_id`,
    )) as { id: number; gradeId: number; name: string; deviceEmail: string }[];
    rooms = Object.fromEntries(r.map((x) => [x.name, x]));
    const c = (await t.dataSource.query(`SELECT id, title, teacher_id AS "teacherId", grade_id AS "gradeId" FROM course`)) as {
      id: number;
      title: string;
      teacherId: number;
      gradeId: number;
    }[];
    courses = Object.fromEntries(c.map((x) => [x.title, x]));
  });
  afterAll(() => t.close());

  const MUSIC3 = '《春天在哪里》歌唱课';
  const MATH3 = '分数的初步认识';

  describe('sessions and bookings', () => {
    it('creates a session of a lesson, stored in UTC and shown with the school zone', async () => {
      const s = await session(MUSIC3, at(MON, '09:00'), at(MON, '09:40'));
      expect(s).toMatchObject({ startsAt: '2027-03-01T01:00:00.000Z', endsAt: '2027-03-01T01:40:00.000Z', timezone: 'Asia/Shanghai', status: 'scheduled' });
      expect(s.subject.code).toBe('music');
      await book(s.id, '上湾教学点 三年级教室').expect(201);
      const got = await t.http.get(`/api/sessions/${s.id}`).set(as(admin)).expect(200);
      expect(got.body.classrooms.map((c: { classroomName: string }) => c.classroomName)).toEqual(['三年级教室']);
    });

    it('refuses bad times with 400 saying why', async () => {
      const course = courses[MUSIC3].id;
      const post = (startsAt: string, endsAt: string) => t.http.post('/api/sessions').set(as(admin)).send({ courseId: course, startsAt, endsAt });
      expect((await post(at('2027-03-02', '10:00'), at('2027-03-02', '09:00')).expect(400)).body.message).toBe('endsAt must be after startsAt');
      expect((await post(at('2027-03-02', '08:00'), at('2027-03-02', '13:00')).expect(400)).body.message).toBe('A session may last at most 4 hours');
      expect((await post('next tuesday', at('2027-03-02', '09:00')).expect(400)).body.details[0]).toMatch(/startsAt must be an ISO 8601/);
    });

    it('lets exactly one of 20 concurrent bookings of one classroom into overlapping sessions succeed', async () => {
      // 20 teachers, each with a session at overlapping times on the same morning.
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) {
        const teacher = await t.user('teacher');
        const c = await t.course(teacher, { title: `并发课 ${i}`, subjectId: 4, gradeId: 3 });
        const res = await t.http
          .post('/api/sessions')
          .set(as(admin))
          .send({ courseId: c.id, startsAt: at('2027-03-03', `10:${String(i).padStart(2, '0')}`), endsAt: at('2027-03-03', '11:00') })
          .expect(201);
        ids.push(res.body.id);
      }
      const results = await Promise.all(ids.map((id) => book(id, '庆坪教学点 三年级教室')));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status === 409);
      expect(refused).toHaveLength(19);
      expect(refused[0].body.message).toMatch(/^Classroom 三年级教室 is already booked 2027-03-03 10:\d\d–11:00 for "并发课 \d+" \(session \d+\)$/);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM session_classroom WHERE classroom_id = $1 AND session_id = ANY($2)', [
        rooms['庆坪教学点 三年级教室'].id,
        ids,
      ]);
      expect(n).toBe(1);
    });

    it('lets exactly one of 20 concurrent overlapping sessions of one teacher be created', async () => {
      const teacher = await t.user('teacher');
      const c = await t.course(teacher, { title: '老师并发', subjectId: 5, gradeId: 4 });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.http
            .post('/api/sessions')
            .set(as(teacher))
            .send({ courseId: c.id, startsAt: at('2027-03-04', `14:${String(i * 2).padStart(2, '0')}`), endsAt: at('2027-03-04', '15:30') }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status === 409);
      expect(refused).toHaveLength(19);
      expect(refused[0].body.message).toMatch(/^The teacher already teaches "老师并发" \(session \d+\) 2027-03-04 14:\d\d–15:30$/);
    });

    it('warns about a classroom of another grade and books it only with an explicit override', async () => {
      const s = await session(MUSIC3, at('2027-03-05', '09:00'), at('2027-03-05', '09:40'));
      const warned = await book(s.id, '上湾教学点 一年级教室').expect(409);
      expect(warned.body).toMatchObject({ code: 'GRADE_MISMATCH' });
      expect(warned.body.message).toMatch(/grade 1 but the course is for grade 3/);
      const ok = await book(s.id, '上湾教学点 一年级教室', { allowGradeMismatch: true }).expect(201);
      expect(ok.body.classrooms[0]).toMatchObject({ gradeOverride: true });
    });

    it('refuses booking a cancelled session and editing an ended one', async () => {
      const s = await session(MUSIC3, at('2027-03-05', '14:00'), at('2027-03-05', '14:40'));
      await t.http.post(`/api/sessions/${s.id}/cancel`).set(as(admin)).expect(200);
      expect((await book(s.id, '秦祁教学点 三年级教室').expect(409)).body.message).toBe(`Session ${s.id} is cancelled; classrooms can't be booked on it`);
      const e = await session(MUSIC3, at('2027-03-05', '15:00'), at('2027-03-05', '15:40'));
      await t.dataSource.query(`UPDATE class_session SET status = 'ended' WHERE id = $1`, [e.id]);
      const res = await t.http.patch(`/api/sessions/${e.id}`).set(as(admin)).send({ title: 'x' }).expect(409);
      expect(res.body.message).toBe(`Session ${e.id} has already ended and can't be changed`);
    });

    it('frees the slot of a cancelled session for the classroom and the teacher', async () => {
      const a = await session(MATH3, at('2027-03-08', '09:00'), at('2027-03-08', '09:40'));
      await book(a.id, '秦祁教学点 三年级教室').expect(201);
      await t.http.post(`/api/sessions/${a.id}/cancel`).set(as(admin)).expect(200);
      const b = await session(MATH3, at('2027-03-08', '09:00'), at('2027-03-08', '09:40'));
      await book(b.id, '秦祁教学点 三年级教室').expect(201);
    });

    it('moves a session, keeping bookings that still fit and reporting the ones that do not', async () => {
      const blocker = await session(MATH3, at('2027-03-09', '10:00'), at('2027-03-09', '10:40'));
      await book(blocker.id, '上湾教学点 三年级教室').expect(201);
      const s = await session(MUSIC3, at('2027-03-09', '08:00'), at('2027-03-09', '08:40'));
      await book(s.id, '上湾教学点 三年级教室').expect(201);
      await book(s.id, '庆坪教学点 三年级教室').expect(201);
      const moved = await t.http.patch(`/api/sessions/${s.id}`).set(as(admin)).send({ startsAt: at('2027-03-09', '10:10'), endsAt: at('2027-03-09', '10:50') }).expect(200);
      expect(moved.body.unfitBookings).toEqual([
        expect.objectContaining({ sessionId: s.id, classroomId: rooms['上湾教学点 三年级教室'].id, conflictingSessionId: blocker.id }),
      ]);
      expect(moved.body.sessions[0].classrooms.map((c: { classroomId: number }) => c.classroomId)).toEqual([rooms['庆坪教学点 三年级教室'].id]);
    });
  });

  describe('weekly series', () => {
    it('generates a term of sessions skipping holidays, edits this-and-following keeping bookings, and cancels', async () => {
      const created = await t.http
        .post('/api/series')
        .set(as(admin))
        .send({
          courseId: courses[MATH3].id,
          weekdays: [2, 4], // Tuesday, Thursday
          periodStart: '14:00',
          periodEnd: '14:40',
          termStart: '2027-04-05',
          termEnd: '2027-04-30',
          holidays: ['2027-04-06', '2027-04-29'],
          classroomIds: [rooms['上湾教学点 三年级教室'].id, rooms['秦祁教学点 三年级教室'].id],
        })
        .expect(201);
      const dates = created.body.sessions.map((s: { startsAt: string }) => s.startsAt.slice(0, 10));
      expect(dates).toEqual(['2027-04-08', '2027-04-13', '2027-04-15', '2027-04-20', '2027-04-22', '2027-04-27']);
      expect(created.body.series).toMatchObject({ weekdays: [2, 4], periodStart: '14:00', timezone: 'Asia/Shanghai', sessionCount: 6 });
      expect(created.body.sessions[0].lessonTitle).toBe('认识几分之一');
      expect(created.body.sessions[0].startsAt).toBe('2027-04-08T06:00:00.000Z');
      expect(created.body.sessions.every((s: { classrooms: unknown[] }) => s.classrooms.length === 2)).toBe(true);
      expect(created.body.unfitBookings).toEqual([]);

      // Another class already holds 秦祁 on 2027-04-20 at 15:00; move the series to 15:00 from 2027-04-15 on.
      const other = await session(MUSIC3, at('2027-04-20', '15:00'), at('2027-04-20', '15:40'));
      await book(other.id, '秦祁教学点 三年级教室').expect(201);
      const from = created.body.sessions[2];
      const edited = await t.http
        .patch(`/api/series/${created.body.series.id}`)
        .set(as(admin))
        .send({ fromSessionId: from.id, periodStart: '15:00', periodEnd: '15:40' })
        .expect(200);
      expect(edited.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual([
        '2027-04-15T07:00:00.000Z',
        '2027-04-20T07:00:00.000Z',
        '2027-04-22T07:00:00.000Z',
        '2027-04-27T07:00:00.000Z',
      ]);
      expect(edited.body.unfitBookings).toEqual([expect.objectContaining({ classroomId: rooms['秦祁教学点 三年级教室'].id, conflictingSessionId: other.id })]);
      const counts = edited.body.sessions.map((s: { classrooms: unknown[] }) => s.classrooms.length);
      expect(counts).toEqual([2, 1, 2, 2]);
      const earlier = await t.http.get(`/api/sessions/${created.body.sessions[0].id}`).set(as(admin)).expect(200);
      expect(earlier.body.startsAt).toBe('2027-04-08T06:00:00.000Z');

      const cancelled = await t.http.post(`/api/series/${created.body.series.id}/cancel`).set(as(admin)).send({ fromSessionId: created.body.sessions[4].id }).expect(200);
      expect(cancelled.body.sessions.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'cancelled']);
      expect((await t.http.get(`/api/series/${created.body.series.id}`).set(as(admin)).expect(200)).body.sessionCount).toBe(4);
    });

    it('refuses a series without weekdays, or with no session in the term', async () => {
      const base = { courseId: courses[MATH3].id, periodStart: '09:00', periodEnd: '09:40', termStart: '2027-05-03', termEnd: '2027-05-07' };
      const none = await t.http.post('/api/series').set(as(admin)).send({ ...base, weekdays: [] }).expect(400);
      expect(none.body.details[0]).toMatch(/weekdays must list at least one weekday/);
      const empty = await t.http.post('/api/series').set(as(admin)).send({ ...base, weekdays: [6] }).expect(400);
      expect(empty.body.message).toMatch(/The series has no sessions/);
      await t.http.post('/api/series').set(as(admin)).send({ ...base, weekdays: [1], periodStart: '10:00', periodEnd: '09:00' }).expect(400);
    });

    it('refuses, before storing anything, a series that would book more classroom places than one request may', async () => {
      const classroomIds = Object.values(rooms).map((r) => r.id);
      const weekdays = [1, 2, 3, 4, 5, 6, 7];
      // Every day for long enough that sessions × classrooms passes the limit, with at most 500 sessions.
      const days = Math.min(500, Math.ceil(3001 / classroomIds.length));
      const termEnd = new Date(Date.UTC(2028, 0, 3) + (days - 1) * 86400_000).toISOString().slice(0, 10);
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM class_session');
      const res = await t.http
        .post('/api/series')
        .set(as(admin))
        .send({ courseId: courses[MATH3].id, weekdays, periodStart: '07:00', periodEnd: '07:30', termStart: '2028-01-03', termEnd, classroomIds })
        .expect(400);
      expect(res.body.message).toMatch(new RegExp(`^A series may book at most 3000 classroom places \\(sessions × classrooms\\); this one would book ${days * classroomIds.length} `));
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM class_session')).toEqual(before);
    });
  });

  describe('coverage', () => {
    const WEEK = { from: '2027-06-07', to: '2027-06-13' };
    let a: { id: number };
    let b: { id: number };

    beforeAll(async () => {
      a = await session(MUSIC3, at('2027-06-07', '09:00'), at('2027-06-07', '09:40'));
      await book(a.id, '上湾教学点 三年级教室').expect(201);
      await book(a.id, '庆坪教学点 三年级教室').expect(201);
      b = await session(MUSIC3, at('2027-06-09', '09:00'), at('2027-06-09', '09:40'));
      await book(b.id, '上湾教学点 三年级教室').expect(201);
      // A cancelled session and one outside the week do not count.
      const c = await session(MUSIC3, at('2027-06-10', '09:00'), at('2027-06-10', '09:40'));
      await book(c.id, '秦祁教学点 三年级教室').expect(201);
      await t.http.post(`/api/sessions/${c.id}/cancel`).set(as(admin)).expect(200);
      const d = await session(MUSIC3, at('2027-06-14', '09:00'), at('2027-06-14', '09:40'));
      await book(d.id, '秦祁教学点 三年级教室').expect(201);
    });

    it('counts required against booked periods for every classroom and subject, gaps first', async () => {
      const all = await t.http.get('/api/coverage').query({ ...WEEK, county: '渭源县' }).set(as(admin)).expect(200);
      // 13 classrooms; grades 1–2 require 8 subjects, grades 3–6 require 10 (hand count: 2·8 + 2·8 + 3·10 + 2·10 + 2·10 + 2·10).
      expect(all.body.rows).toHaveLength(122);
      expect(all.body.weeks).toBe(1);
      const music = await t.http.get('/api/coverage').query({ ...WEEK, gradeId: 3, subjectId: 4 }).set(as(admin)).expect(200);
      expect(music.body.rows.map((r: { schoolName: string; required: number; booked: number; gap: number }) => [r.schoolName, r.required, r.booked, r.gap])).toEqual([
        ['秦祁教学点', 2, 0, 2],
        ['庆坪教学点', 2, 1, 1],
        ['上湾教学点', 2, 2, 0],
      ]);
    });

    it('answers the same numbers as CSV', async () => {
      const json = await t.http.get('/api/coverage').query({ ...WEEK, gradeId: 3 }).set(as(admin)).expect(200);
      const csv = await t.http.get('/api/coverage.csv').query({ ...WEEK, gradeId: 3 }).set(as(admin)).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.replace(/^\ufeff/, '').trim().split('\n');
      expect(lines[0]).toBe('school,classroom,grade,subject,subject_en,required,booked,gap');
      expect(lines.slice(1)).toEqual(
        json.body.rows.map((r: { schoolName: string; classroomName: string; gradeId: number; subjectNameZh: string; subjectNameEn: string; required: number; booked: number; gap: number }) =>
          [r.schoolName, r.classroomName, r.gradeId, r.subjectNameZh, r.subjectNameEn, r.required, r.booked, r.gap].join(','),
        ),
      );
    });

    it('suggests only sessions the classroom can join without a conflict, most-shared first, and booking closes the gap', async () => {
      const room = rooms['秦祁教学点 三年级教室'];
      // Three music sessions that week: one already shared by two rooms, one alone, one clashing with a booking.
      const shared = await session(MUSIC3, at('2027-06-11', '09:00'), at('2027-06-11', '09:40'));
      await book(shared.id, '庆坪教学点 三年级教室').expect(201);
      await book(shared.id, '上湾教学点 三年级教室').expect(201);
      const alone = await session(MUSIC3, at('2027-06-11', '14:00'), at('2027-06-11', '14:40'));
      const clashing = await session(MUSIC3, at('2027-06-12', '10:00'), at('2027-06-12', '10:40'));
      const mathThen = await session(MATH3, at('2027-06-12', '10:20'), at('2027-06-12', '11:00'));
      await book(mathThen.id, '秦祁教学点 三年级教室').expect(201);

      const res = await t.http.get('/api/coverage/suggestions').query({ classroomId: room.id, subjectId: 4, ...WEEK }).set(as(admin)).expect(200);
      const ids = res.body.map((s: { session: { id: number } }) => s.session.id);
      // Two rooms each (earliest first), then one room, then none; never the clashing one.
      expect(ids).toEqual([a.id, shared.id, b.id, alone.id]);
      expect(ids).not.toContain(clashing.id);
      expect(res.body.map((x: { bookedClassrooms: number }) => x.bookedClassrooms)).toEqual([2, 2, 1, 0]);

      await book(shared.id, '秦祁教学点 三年级教室').expect(201);
      const after = await t.http.get('/api/coverage').query({ ...WEEK, gradeId: 3, subjectId: 4 }).set(as(admin)).expect(200);
      expect(after.body.rows.find((r: { classroomId: number }) => r.classroomId === room.id)).toMatchObject({ booked: 1, gap: 1 });
    });

    it('lets admins edit curriculum requirements', async () => {
      await t.http.put('/api/curriculum-requirements').set(as(admin)).send({ gradeId: 3, subjectId: 4, periodsPerWeek: 3 }).expect(200);
      const reqs = await t.http.get('/api/curriculum-requirements').set(as(admin)).expect(200);
      expect(reqs.body).toContainEqual({ gradeId: 3, subjectId: 4, periodsPerWeek: 3 });
      await t.http.put('/api/curriculum-requirements').set(as(admin)).send({ gradeId: 3, subjectId: 4, periodsPerWeek: 40 }).expect(400);
      await t.http.put('/api/curriculum-requirements').set(as(admin)).send({ gradeId: 3, subjectId: 4, periodsPerWeek: 2 }).expect(200);
    });
  });

  describe('calendars and who sees what', () => {
    it('publishes a classroom iCalendar feed at a rotatable secret URL, with the right times', async () => {
      const room = rooms['北寨教学点 四年级教室'];
      const device = await t.http.post('/api/auth/login').send({ email: room.deviceEmail, password: 'tongke-demo-2026' }).expect(200);
      const token = device.body.accessToken as string;
      const art4 = courses['中国剪纸'];
      const s = await session('中国剪纸', at('2027-03-10', '10:00'), at('2027-03-10', '10:40'));
      await book(s.id, '北寨教学点 四年级教室').expect(201);
      expect(art4.gradeId).toBe(4);

      const feed = await t.http.get(`/api/classrooms/${room.id}/calendar-feed`).auth(token, { type: 'bearer' }).expect(200);
      const text = (await t.http.get(feed.body.url).expect(200)).text;
      const events = Object.values(ical.sync.parseICS(text)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
      const event = events.find((e) => e.uid === `session-${s.id}@tongke`)!;
      expect(event.summary).toMatch(/中国剪纸/);
      expect(new Date(event.start).toISOString()).toBe('2027-03-10T02:00:00.000Z');
      expect(new Date(event.end!).toISOString()).toBe('2027-03-10T02:40:00.000Z');
      expect(text).toContain('X-WR-TIMEZONE:Asia/Shanghai');

      const rotated = await t.http.post(`/api/classrooms/${room.id}/calendar-feed`).auth(token, { type: 'bearer' }).expect(200);
      expect(rotated.body.url).not.toBe(feed.body.url);
      await t.http.get(feed.body.url).expect(404);
      await t.http.get(rotated.body.url).expect(200);
      const other = rooms['上湾教学点 三年级教室'];
      await t.http.get(`/api/classrooms/${other.id}/calendar-feed`).auth(token, { type: 'bearer' }).expect(403);
    });

    it("stops serving a teacher's feed when her account is deactivated, and serves it again when it is reactivated", async () => {
      const teacher = await t.user('teacher');
      const feed = await t.http.get(`/api/teachers/${teacher.id}/calendar-feed`).set(as(teacher)).expect(200);
      await t.http.get(feed.body.url).expect(200);
      await t.http.patch(`/api/users/${teacher.id}`).set(as(admin)).send({ isActive: false }).expect(200);
      const gone = await t.http.get(feed.body.url).expect(404);
      expect(gone.text).toContain('This calendar link is unknown or has been replaced');
      await t.http.patch(`/api/users/${teacher.id}`).set(as(admin)).send({ isActive: true }).expect(200);
      await t.http.get(feed.body.url).expect(200);
    });

    it('shows a teacher her sessions, a classroom only its bookings, an admin everything', async () => {
      const range = { from: '2027-03-01T00:00:00+08:00', to: '2027-03-15T00:00:00+08:00' };
      const wang = await t.http.post('/api/auth/login').send({ email: 'wang.yinyue@demo.tongke.cn', password: 'tongke-demo-2026' }).expect(200);
      const mine = await t.http.get('/api/sessions').query(range).auth(wang.body.accessToken, { type: 'bearer' }).expect(200);
      expect(mine.body.length).toBeGreaterThan(0);
      expect(mine.body.every((s: { teacher: { id: number } }) => s.teacher.id === wang.body.user.id)).toBe(true);
      await t.http.get('/api/sessions').query({ ...range, teacherId: courses[MATH3].teacherId }).auth(wang.body.accessToken, { type: 'bearer' }).expect(403);

      const room = rooms['庆坪教学点 三年级教室'];
      const device = await t.http.post('/api/auth/login').send({ email: room.deviceEmail, password: 'tongke-demo-2026' }).expect(200);
      const own = await t.http.get('/api/sessions').query(range).auth(device.body.accessToken, { type: 'bearer' }).expect(200);
      expect(own.body.length).toBeGreaterThan(0);
      expect(own.body.every((s: { classrooms: { classroomId: number }[] }) => s.classrooms.some((c) => c.classroomId === room.id))).toBe(true);
      const foreign = await t.dataSource.query(
        `SELECT s.id FROM class_session s WHERE NOT EXISTS (SELECT 1 FROM session_classroom b WHERE b.session_id = s.id AND b.classroom_id = $1) LIMIT 1`,
        [room.id],
      );
      await t.http.get(`/api/sessions/${foreign[0].id}`).auth(device.body.accessToken, { type: 'bearer' }).expect(404);
      await t.http.post(`/api/sessions/${own.body[0].id}/classrooms`).auth(device.body.accessToken, { type: 'bearer' }).send({ classroomId: room.id }).expect(403);
      const me = await t.http.get('/api/classrooms/mine').auth(device.body.accessToken, { type: 'bearer' }).expect(200);
      expect(me.body).toMatchObject({ id: room.id, schoolName: '庆坪教学点' });

      const all = await t.http.get('/api/sessions').query(range).set(as(admin)).expect(200);
      expect(all.body.length).toBeGreaterThan(mine.body.length + own.body.length - 1);
      const student = await t.user('student');
      await t.http.get('/api/sessions').query(range).set(as(student)).expect(403);
      await t.http.get('/api/coverage').query({ from: MON, to: '2027-03-07' }).auth(wang.body.accessToken, { type: 'bearer' }).expect(403);
    });

    it('reports attendance per session, classroom and school', async () => {
      const s = await session(MUSIC3, at('2027-03-11', '09:00'), at('2027-03-11', '09:40'));
      await book(s.id, '上湾教学点 三年级教室').expect(201);
      await book(s.id, '庆坪教学点 三年级教室').expect(201);
      await t.dataSource.query(
        `INSERT INTO attendance (session_id, classroom_id, joined_at, left_at, minutes_present, quality)
         VALUES ($1, $2, '2027-03-11T01:00:00Z', '2027-03-11T01:40:00Z', 40, '{"lossPct": 0.5}')`,
        [s.id, rooms['上湾教学点 三年级教室'].id],
      );
      const list = await t.http.get(`/api/sessions/${s.id}/attendance`).set(as(admin)).expect(200);
      expect(list.body.map((a: { classroomName: string; minutesPresent: number }) => a.minutesPresent).sort()).toEqual([0, 40]);
      const bySchool = await t.http.get('/api/attendance/report').query({ groupBy: 'school', from: '2027-03-11', to: '2027-03-11' }).set(as(admin)).expect(200);
      expect(bySchool.body).toEqual(
        expect.arrayContaining([
          { id: expect.any(Number), name: '上湾教学点', sessions: 1, attended: 1, minutesPresent: 40 },
          { id: expect.any(Number), name: '庆坪教学点', sessions: 1, attended: 0, minutesPresent: 0 },
        ]),
      );
    });
  });
});
