import { TestApp, type TestUser } from '../support/test-app.js';

/** #11.10: "classroom busy" names the other session only to those who may see it. */
describe('a busy classroom, told to someone who may not see the other class', () => {
  let t: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let classroomId: number;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const slot = { startsAt: '2029-05-07T09:00:00+08:00', endsAt: '2029-05-07T09:40:00+08:00' };

  beforeAll(async () => {
    t = await TestApp.create();
    admin = await t.user('admin');
    alice = await t.user('teacher');
    bob = await t.user('teacher');
    const schoolId = await t.school('田家河教学点', 'rural');
    const device = await t.user('classroom', { schoolId });
    [{ id: classroomId }] = await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, '三年级', 3, $2) RETURNING id`, [schoolId, device.id]);
    const course = await t.course(alice, { title: '秘密的公开课', gradeId: 3 });
    const s = (await t.http.post('/api/sessions').set(as(alice)).send({ courseId: course.id, ...slot }).expect(201)).body;
    await t.http.post(`/api/sessions/${s.id}/classrooms`).set(as(alice)).send({ classroomId }).expect(201);
  });
  afterAll(() => t.close());

  it("tells another teacher the time only, and an admin which session", async () => {
    const course = await t.course(bob, { gradeId: 3 });
    const mine = (await t.http.post('/api/sessions').set(as(bob)).send({ courseId: course.id, ...slot }).expect(201)).body;
    const refused = await t.http.post(`/api/sessions/${mine.id}/classrooms`).set(as(bob)).send({ classroomId }).expect(409);
    expect(refused.body).toMatchObject({ code: 'CLASSROOM_BUSY', message: "Classroom 三年级 is already booked 2029-05-07 09:00–09:40 for another teacher's class" });
    expect(JSON.stringify(refused.body)).not.toContain('秘密');
    const asAdmin = await t.http.post(`/api/sessions/${mine.id}/classrooms`).set(as(admin)).send({ classroomId }).expect(409);
    expect(asAdmin.body.message).toMatch(/for "秘密的公开课" \(session \d+\)$/);
  });
});
