import { TestApp, type TestUser } from './support/test-app.js';

describe('schools, classrooms and users (admin)', () => {
  let t: TestApp;
  let admin: TestUser;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const school = { name: '渭源县城关第一小学', kind: 'urban', province: '甘肃省', city: '定西市', county: '渭源县' };

  beforeAll(async () => {
    t = await TestApp.create();
    admin = await t.user('admin');
  });
  afterAll(() => t.close());

  it('creates a school with its region and kind, and refuses a duplicate in the same county with 409', async () => {
    const res = await t.http.post('/api/schools').set(as(admin)).send(school).expect(201);
    expect(res.body).toMatchObject({ ...school, timezone: 'Asia/Shanghai', classroomCount: 0 });
    const dup = await t.http.post('/api/schools').set(as(admin)).send({ ...school, name: ` ${school.name} ` }).expect(409);
    expect(dup.body.message).toBe('A school with this name already exists in this county');
    await t.http.post('/api/schools').set(as(admin)).send({ ...school, county: '漳县' }).expect(201);
  });

  it('validates school fields and names the bad ones', async () => {
    const res = await t.http.post('/api/schools').set(as(admin)).send({ ...school, kind: 'private', timezone: 'Mars/Base' }).expect(400);
    expect(res.body.message).toMatch(/kind must be one of the following values: urban, rural/);
    const tz = await t.http.post('/api/schools').set(as(admin)).send({ ...school, name: '新校', timezone: 'Mars/Base' }).expect(400);
    expect(tz.body.details).toEqual(['timezone must be an IANA time zone such as Asia/Shanghai']);
  });

  it('creates a classroom together with its device login, which can then log in', async () => {
    const s = (await t.http.post('/api/schools').set(as(admin)).send({ ...school, name: '上湾教学点', kind: 'rural' }).expect(201)).body;
    const room = await t.http
      .post(`/api/schools/${s.id}/classrooms`)
      .set(as(admin))
      .send({ name: '复式班', gradeId: 3, deviceEmail: 'Room-1@ShangWan.cn', devicePassword: 'room-pass-2026' })
      .expect(201);
    expect(room.body).toMatchObject({ schoolId: s.id, schoolName: '上湾教学点', name: '复式班', gradeId: 3, deviceEmail: 'room-1@shangwan.cn' });
    const login = await t.http.post('/api/auth/login').send({ email: 'room-1@shangwan.cn', password: 'room-pass-2026' }).expect(200);
    expect(login.body.user).toMatchObject({ role: 'classroom', schoolId: s.id });

    // Same device email again: the whole creation is refused, no half-made classroom remains.
    const dup = await t.http
      .post(`/api/schools/${s.id}/classrooms`)
      .set(as(admin))
      .send({ name: '另一间', gradeId: 4, deviceEmail: 'room-1@shangwan.cn', devicePassword: 'room-pass-2026' })
      .expect(409);
    expect(dup.body.message).toBe('A user with this email already exists');
    const rooms = await t.http.get(`/api/schools/${s.id}/classrooms`).set(as(admin)).expect(200);
    expect(rooms.body.map((r: { name: string }) => r.name)).toEqual(['复式班']);
    // A teacher sees the classroom, not its device login.
    const teacher = await t.user('teacher');
    const seen = await t.http.get(`/api/schools/${s.id}/classrooms`).set(as(teacher)).expect(200);
    expect(seen.body).toEqual([expect.objectContaining({ name: '复式班', deviceEmail: null, deviceUserId: null })]);
    const one = await t.http.get(`/api/classrooms/${room.body.id}`).set(as(teacher)).expect(200);
    expect(one.body).toMatchObject({ name: '复式班', deviceEmail: null, deviceUserId: null });
    expect((await t.http.get(`/api/classrooms/${room.body.id}`).set(as(admin)).expect(200)).body.deviceEmail).toBe('room-1@shangwan.cn');

    await t.http.post(`/api/schools/${s.id}/classrooms`).set(as(admin)).send({ name: 'x', gradeId: 10, deviceEmail: 'a@b.cn', devicePassword: 'room-pass' }).expect(400);
    await t.http.post('/api/schools/99999/classrooms').set(as(admin)).send({ name: 'x', gradeId: 1, deviceEmail: 'z@b.cn', devicePassword: 'room-pass-2026' }).expect(404);

    await t.http.delete(`/api/classrooms/${room.body.id}`).set(as(admin)).expect(204);
    await t.http.post('/api/auth/login').send({ email: 'room-1@shangwan.cn', password: 'room-pass-2026' }).expect(401);
  });

  it('refuses to delete a school its teachers still belong to, with 409 and nothing lost', async () => {
    const s = (await t.http.post('/api/schools').set(as(admin)).send({ ...school, name: '有老师的学校' }).expect(201)).body;
    await t.user('teacher', { schoolId: s.id });
    const res = await t.http.delete(`/api/schools/${s.id}`).set(as(admin)).expect(409);
    expect(res.body.message).toBe('This cannot be deleted while user accounts refer to it');
    await t.http.get(`/api/schools/${s.id}`).set(as(admin)).expect(200);
  });

  it('manages users: create, list by role with a total, deactivate', async () => {
    const created = await t.http
      .post('/api/users')
      .set(as(admin))
      .send({ email: 'Zhao.Laoshi@School.cn', password: 'teacher-pass-1', displayName: '赵老师', role: 'teacher' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'zhao.laoshi@school.cn', role: 'teacher', isActive: true });
    expect(created.body.passwordHash).toBeUndefined();
    await t.http.post('/api/users').set(as(admin)).send({ email: 'zhao.laoshi@school.cn', password: 'teacher-pass-1', displayName: 'x', role: 'teacher' }).expect(409);
    const weak = await t.http.post('/api/users').set(as(admin)).send({ email: 'w@school.cn', password: 'short', displayName: 'x', role: 'student' }).expect(400);
    expect(weak.body.details).toEqual(['password must be at least 10 characters long']);
    for (const common of ['1234567890', 'Password123', 'woaini1314', 'aaaaaaaaaaaa']) {
      const refused = await t.http.post('/api/users').set(as(admin)).send({ email: 'w@school.cn', password: common, displayName: 'x', role: 'student' }).expect(400);
      expect(refused.body.details).toEqual(['password is one of the most common passwords; choose another']);
    }
    await t.http.post('/api/users').set(as(admin)).send({ email: 'c@school.cn', password: 'password-1', displayName: 'x', role: 'classroom', schoolId: 1 }).expect(400);

    const list = await t.http.get('/api/users').query({ role: 'teacher' }).set(as(admin)).expect(200);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    expect(list.body.items.every((u: { role: string }) => u.role === 'teacher')).toBe(true);

    await t.http.patch(`/api/users/${created.body.id}`).set(as(admin)).send({ isActive: false }).expect(200);
    await t.http.post('/api/auth/login').send({ email: 'zhao.laoshi@school.cn', password: 'teacher-pass-1' }).expect(401);
    const self = await t.http.patch(`/api/users/${admin.id}`).set(as(admin)).send({ isActive: false }).expect(400);
    expect(self.body.message).toBe('You cannot deactivate your own account');
  });
});
