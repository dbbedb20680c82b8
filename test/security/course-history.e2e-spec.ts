import { TestApp, type TestUser } from '../support/test-app.js';

/** #11.6: a course with class history is archived, never deleted with its sessions, attendance and recordings. */
describe('a course with class history', () => {
  let t: TestApp;
  let teacher: TestUser;
  let student: TestUser;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  beforeAll(async () => {
    t = await TestApp.create();
    teacher = await t.user('teacher');
    student = await t.user('student');
  });
  afterAll(() => t.close());

  const scheduleFor = (courseId: number, day: string) =>
    t.http.post('/api/sessions').set(as(teacher)).send({ courseId, startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T09:40:00+08:00` });

  it('cannot be deleted, by its teacher or in the database, and nothing of it is lost', async () => {
    const course = await t.course(teacher, { title: '圆的面积' });
    const session = (await scheduleFor(course.id, '2029-03-05').expect(201)).body;
    const refused = await t.http.delete(`/api/courses/${course.id}`).set(as(teacher)).expect(409);
    expect(refused.body).toMatchObject({ code: 'COURSE_HAS_CLASSES', message: 'This course has had classes, which are kept with it: archive it instead of deleting it' });
    // Refused by a foreign key: restrict_violation (23001) or foreign_key_violation (23503), whichever of the
    // constraint triggers on course PostgreSQL runs first (a full run after a new migration got the other one).
    await expect(t.dataSource.query('DELETE FROM course WHERE id = $1', [course.id])).rejects.toMatchObject({ driverError: { code: expect.stringMatching(/^23(001|503)$/) } });
    await t.http.get(`/api/sessions/${session.id}`).set(as(teacher)).expect(200);
    await t.http.get(`/api/courses/${course.id}`).set(as(teacher)).expect(200);
  });

  it('is archived instead: out of the catalogue and closed to new classes, its history kept; and restored', async () => {
    const course = await t.course(teacher, { title: '认识五线谱' });
    const session = (await scheduleFor(course.id, '2029-03-06').expect(201)).body;
    const archived = await t.http.post(`/api/courses/${course.id}/archive`).set(as(teacher)).expect(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));

    const catalogue = await t.http.get('/api/courses').query({ q: '五线谱' }).expect(200);
    expect(catalogue.body.items.map((c: { id: number }) => c.id)).not.toContain(course.id);
    await t.http.get(`/api/courses/${course.id}`).set(as(student)).expect(404);
    await t.http.get(`/api/courses/${course.id}`).set(as(teacher)).expect(200);
    const again = await scheduleFor(course.id, '2029-03-07').expect(409);
    expect(again.body.message).toBe(`Course ${course.id} is archived: restore it before scheduling classes of it`);
    await t.http.get(`/api/sessions/${session.id}`).set(as(teacher)).expect(200);

    await t.http.post(`/api/courses/${course.id}/restore`).set(as(teacher)).expect(200);
    const back = await t.http.get('/api/courses').query({ q: '五线谱' }).expect(200);
    expect(back.body.items.map((c: { id: number }) => c.id)).toContain(course.id);
    await scheduleFor(course.id, '2029-03-07').expect(201);
  });

  it('a course that never had classes can still be deleted; someone else cannot archive it', async () => {
    const course = await t.course(teacher, { title: '植物的一生' });
    const other = await t.user('teacher');
    await t.http.post(`/api/courses/${course.id}/archive`).set(as(other)).expect(403);
    await t.http.delete(`/api/courses/${course.id}`).set(as(teacher)).expect(204);
    await t.http.get(`/api/courses/${course.id}`).set(as(teacher)).expect(404);
  });
});
