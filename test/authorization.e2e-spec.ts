import { pdf } from './support/files.js';
import { TestApp, type TestUser } from './support/test-app.js';

/**
 * Each role against each kind of action. `anon` is no token at all. Expected status per role; the test
 * fails on any cell that differs, and prints which.
 */
type Actor = 'anon' | 'admin' | 'teacherA' | 'teacherB' | 'classroom' | 'student';
const ACTORS: Actor[] = ['anon', 'admin', 'teacherA', 'teacherB', 'classroom', 'student'];

describe('authorization matrix', () => {
  let t: TestApp;
  let users: Record<Exclude<Actor, 'anon'>, TestUser>;
  let schoolId: number;
  let courseA: number;
  let draftA: number;
  let lessonA: number;
  let resourceA: number;

  beforeAll(async () => {
    t = await TestApp.create();
    schoolId = await t.school('矩阵小学');
    const roomRes = await t.dataSource.query(`INSERT INTO classroom (school_id, name, grade_id) VALUES ($1, '三(1)班', 3) RETURNING id`, [schoolId]);
    users = {
      admin: await t.user('admin'),
      teacherA: await t.user('teacher', { schoolId }),
      teacherB: await t.user('teacher', { schoolId }),
      classroom: await t.user('classroom', { schoolId }),
      student: await t.user('student', { schoolId }),
    };
    await t.dataSource.query('UPDATE classroom SET device_user_id = $1 WHERE id = $2', [users.classroom.id, roomRes[0].id]);
    courseA = (await t.course(users.teacherA, { title: '老师A的课' })).id;
    draftA = (await t.course(users.teacherA, { title: '老师A的草稿', status: 'draft' })).id;
    lessonA = (await t.http.post(`/api/courses/${courseA}/lessons`).auth(users.teacherA.token, { type: 'bearer' }).send({ title: '一' }).expect(201)).body.id;
    resourceA = (
      await t.http
        .post(`/api/courses/${courseA}/resources`)
        .auth(users.teacherA.token, { type: 'bearer' })
        .field('visibility', 'public')
        .attach('file', pdf(), 'a.pdf')
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const call = (actor: Actor, method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
    let req = t.http[method](path);
    if (actor !== 'anon') req = req.auth(users[actor].token, { type: 'bearer' });
    return body ? req.send(body) : req;
  };

  const cases: { action: string; run: (a: Actor) => Promise<{ status: number }>; expect: Record<Actor, number> }[] = [
    {
      action: 'browse the catalogue',
      run: (a) => call(a, 'get', '/api/courses'),
      expect: { anon: 200, admin: 200, teacherA: 200, teacherB: 200, classroom: 200, student: 200 },
    },
    {
      action: "read teacher A's draft",
      run: (a) => call(a, 'get', `/api/courses/${draftA}`),
      expect: { anon: 404, admin: 200, teacherA: 200, teacherB: 404, classroom: 404, student: 404 },
    },
    {
      action: 'list my courses',
      run: (a) => call(a, 'get', '/api/courses/mine'),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 200, classroom: 403, student: 403 },
    },
    {
      action: 'create a course',
      run: (a) => call(a, 'post', '/api/courses', { title: '新课', subjectId: 1, gradeId: 1, teacherId: a === 'admin' ? users.teacherB.id : undefined }),
      expect: { anon: 401, admin: 201, teacherA: 201, teacherB: 201, classroom: 403, student: 403 },
    },
    {
      action: "edit teacher A's course",
      run: (a) => call(a, 'patch', `/api/courses/${courseA}`, { description: `edited by ${a}` }),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: "add a lesson to teacher A's course",
      run: (a) => call(a, 'post', `/api/courses/${courseA}/lessons`, { title: `by ${a}` }),
      expect: { anon: 401, admin: 201, teacherA: 201, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: "rename teacher A's lesson",
      run: (a) => call(a, 'patch', `/api/lessons/${lessonA}`, { title: `renamed by ${a}` }),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: "upload to teacher A's course",
      run: (a) => {
        let req = t.http.post(`/api/courses/${courseA}/resources`);
        if (a !== 'anon') req = req.auth(users[a].token, { type: 'bearer' });
        return req.attach('file', pdf(a), `${a}.pdf`);
      },
      expect: { anon: 401, admin: 201, teacherA: 201, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: "change teacher A's resource",
      run: (a) => call(a, 'patch', `/api/resources/${resourceA}`, { title: `by ${a}` }),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: 'download a public resource',
      run: (a) => call(a, 'get', `/api/resources/${resourceA}/download`),
      expect: { anon: 200, admin: 200, teacherA: 200, teacherB: 200, classroom: 200, student: 200 },
    },
    {
      action: 'list schools',
      run: (a) => call(a, 'get', '/api/schools'),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 200, classroom: 200, student: 200 },
    },
    {
      action: 'create a school',
      run: (a) => call(a, 'post', '/api/schools', { name: `学校-${a}`, kind: 'rural', province: '甘肃省', city: '定西市', county: '漳县' }),
      expect: { anon: 401, admin: 201, teacherA: 403, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: 'list classrooms of a school',
      run: (a) => call(a, 'get', `/api/schools/${schoolId}/classrooms`),
      expect: { anon: 401, admin: 200, teacherA: 200, teacherB: 200, classroom: 403, student: 403 },
    },
    {
      action: 'create a classroom',
      run: (a) => call(a, 'post', `/api/schools/${schoolId}/classrooms`, { name: `教室-${a}`, gradeId: 2, deviceEmail: `room-${a}@x.cn`, devicePassword: 'room-password' }),
      expect: { anon: 401, admin: 201, teacherA: 403, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: 'list users',
      run: (a) => call(a, 'get', '/api/users'),
      expect: { anon: 401, admin: 200, teacherA: 403, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: 'create a user',
      run: (a) => call(a, 'post', '/api/users', { email: `made-by-${a}@x.cn`, password: 'password-123', displayName: 'x', role: 'student' }),
      expect: { anon: 401, admin: 201, teacherA: 403, teacherB: 403, classroom: 403, student: 403 },
    },
    {
      action: "delete teacher A's course",
      // A fresh course for every actor, so one actor's successful delete can't change what the next sees.
      run: async (a) => call(a, 'delete', `/api/courses/${(await t.course(users.teacherA, { title: `待删 ${a}` })).id}`),
      expect: { anon: 401, admin: 204, teacherA: 204, teacherB: 403, classroom: 403, student: 403 },
    },
  ];

  it.each(cases.map((c) => [c.action, c] as const))('%s', async (_name, c) => {
    const got: Partial<Record<Actor, number>> = {};
    for (const actor of ACTORS) got[actor] = (await c.run(actor)).status;
    expect(got).toEqual(c.expect);
  });

  it('lets a teacher delete her own course, and no one else’s', async () => {
    const own = await t.course(users.teacherB, { title: 'B 的课' });
    await call('teacherA', 'delete', `/api/courses/${own.id}`).expect(403);
    await call('teacherB', 'delete', `/api/courses/${own.id}`).expect(204);
    await call('teacherB', 'get', `/api/courses/${own.id}`).expect(404);
  });

  it('does not let a teacher create a course in another teacher’s name', async () => {
    const res = await call('teacherA', 'post', '/api/courses', { title: '冒名', subjectId: 1, gradeId: 1, teacherId: users.teacherB.id }).expect(403);
    expect(res.body.message).toBe('A teacher can only create courses of her own');
  });
});
