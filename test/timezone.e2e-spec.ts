import { TestApp } from './support/test-app.js';

/**
 * #12.3: a person's time zone is resolved in one place (the database's user_timezone()): their school's, and
 * China Standard Time for an account without a school. Sessions, conflicts and recordings show it alike.
 */
describe("a teacher's time zone", () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.create()));
  afterAll(() => t.close());

  async function sessionOf(schoolId: number | null) {
    const teacher = await t.user('teacher', { schoolId });
    const course = await t.course(teacher);
    const res = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: '2027-03-01T04:00:00.000Z', endsAt: '2027-03-01T04:40:00.000Z' })
      .expect(201);
    return { teacher, course, session: res.body as { id: number; timezone: string } };
  }

  it("is her school's", async () => {
    const school = await t.school('伊宁县第三小学');
    await t.dataSource.query(`UPDATE school SET timezone = 'Asia/Urumqi' WHERE id = $1`, [school]);
    const { teacher, course, session } = await sessionOf(school);
    expect(session.timezone).toBe('Asia/Urumqi');
    // A clash is told in her local time: 04:00 UTC is 10:00 in Ürümqi (UTC+6), where Beijing time would say 12:00.
    const clash = await t.http
      .post('/api/sessions')
      .auth(teacher.token, { type: 'bearer' })
      .send({ courseId: course.id, startsAt: '2027-03-01T04:10:00.000Z', endsAt: '2027-03-01T04:30:00.000Z' })
      .expect(409);
    expect(clash.body.message).toMatch(/10:00/);
    const [{ tz }] = (await t.dataSource.query('SELECT user_timezone($1) AS tz', [teacher.id])) as { tz: string }[];
    expect(tz).toBe('Asia/Urumqi');
  });

  it('is China Standard Time without a school', async () => {
    const { session } = await sessionOf(null);
    expect(session.timezone).toBe('Asia/Shanghai');
  });
});
