import { TestApp, type TestUser } from './support/test-app.js';

describe('course catalogue', () => {
  let t: TestApp;
  let teacher: TestUser;
  let other: TestUser;
  const bearer = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

  beforeAll(async () => {
    t = await TestApp.create();
    teacher = await t.user('teacher', { name: '张老师' });
    other = await t.user('teacher', { name: '李老师' });
    // 25 published courses of varied subjects and grades, plus drafts that must never show up publicly.
    for (let i = 1; i <= 25; i++) {
      await t.course(i % 2 ? teacher : other, { title: `数学练习 第${i}课`, subjectId: 2, gradeId: (i % 3) + 1 });
    }
    await t.course(teacher, { title: '分数的初步认识', description: '认识几分之一', subjectId: 2, gradeId: 3 });
    await t.course(other, { title: '认识图形', description: '通过折纸理解分数和图形', subjectId: 2, gradeId: 3 });
    await t.course(teacher, { title: 'Music of the Seasons 四季的歌', subjectId: 4, gradeId: 3 });
    await t.course(teacher, { title: '分数草稿', subjectId: 2, gradeId: 3, status: 'draft' });
  });
  afterAll(() => t.close());

  it('lists subjects and grades as reference data', async () => {
    const subjects = (await t.http.get('/api/subjects').expect(200)).body as { nameZh: string }[];
    expect(subjects.map((s) => s.nameZh)).toEqual(expect.arrayContaining(['语文', '数学', '英语', '音乐', '美术', '科学', '道德与法治', '体育']));
    const grades = (await t.http.get('/api/grades').expect(200)).body as { id: number }[];
    expect(grades.map((g) => g.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('finds a course by a Chinese substring of its title, and of its description, best title match first', async () => {
    const res = await t.http.get('/api/courses').query({ q: '分数' }).expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((c: { title: string }) => c.title)).toEqual(['分数的初步认识', '认识图形']);
    expect(res.body.items[0]).toMatchObject({ subject: { nameZh: '数学' }, grade: { id: 3 }, teacher: { displayName: '张老师' }, status: 'published' });
  });

  it('treats % and _ in the search text literally', async () => {
    const res = await t.http.get('/api/courses').query({ q: '%' }).expect(200);
    expect(res.body.total).toBe(0);
  });

  it('paginates with the total, never showing drafts', async () => {
    const first = await t.http.get('/api/courses').query({ subjectId: 2, pageSize: 10 }).expect(200);
    expect(first.body).toMatchObject({ total: 27, page: 1, pageSize: 10 });
    expect(first.body.items).toHaveLength(10);
    const last = await t.http.get('/api/courses').query({ subjectId: 2, pageSize: 10, page: 3 }).expect(200);
    expect(last.body.items).toHaveLength(7);
    const all = [...first.body.items, ...last.body.items].map((c: { title: string }) => c.title);
    expect(all).not.toContain('分数草稿');
  });

  it('filters by subject, grade and teacher together', async () => {
    const res = await t.http.get('/api/courses').query({ subjectId: 2, gradeId: 3, teacherId: teacher.id }).expect(200);
    expect(res.body.items.every((c: { grade: { id: number }; teacher: { id: number } }) => c.grade.id === 3 && c.teacher.id === teacher.id)).toBe(true);
    const music = await t.http.get('/api/courses').query({ subjectId: 4 }).expect(200);
    expect(music.body.total).toBe(1);
  });

  it('rejects bad query parameters with a 400 naming them', async () => {
    const res = await t.http.get('/api/courses').query({ pageSize: 1000, gradeId: 'three' }).expect(400);
    expect(res.body.message).toMatch(/gradeId|pageSize/);
    await t.http.get('/api/courses').query({ page: 0 }).expect(400);
    await t.http.get('/api/courses').query({ sort: 'x' }).expect(400);
    await t.http.get('/api/courses/abc').expect(400);
  });

  it('shows a draft only to its teacher and admins', async () => {
    const draft = await t.course(teacher, { title: '另一份草稿', status: 'draft' });
    await t.http.get(`/api/courses/${draft.id}`).expect(404);
    await t.http.get(`/api/courses/${draft.id}`).set(bearer(other)).expect(404);
    await t.http.get(`/api/courses/${draft.id}`).set(bearer(teacher)).expect(200);
    const mine = await t.http.get('/api/courses/mine').set(bearer(teacher)).query({ pageSize: 100 }).expect(200);
    expect(mine.body.items.map((c: { title: string }) => c.title)).toContain('另一份草稿');
    expect(mine.body.items.every((c: { teacher: { id: number } }) => c.teacher.id === teacher.id)).toBe(true);
  });

  it('publishes a course and stamps the time; unpublishing clears it', async () => {
    const c = await t.course(teacher, { title: '待发布', status: 'draft' });
    const pub = await t.http.patch(`/api/courses/${c.id}`).set(bearer(teacher)).send({ status: 'published' }).expect(200);
    expect(pub.body.publishedAt).not.toBeNull();
    const back = await t.http.patch(`/api/courses/${c.id}`).set(bearer(teacher)).send({ status: 'draft' }).expect(200);
    expect(back.body.publishedAt).toBeNull();
  });

  it('keeps lessons ordered: insert at a position, reorder, delete closes the gap', async () => {
    const c = await t.course(teacher, { title: '课时顺序' });
    const add = (title: string, position?: number) =>
      t.http.post(`/api/courses/${c.id}/lessons`).set(bearer(teacher)).send({ title, position }).expect(201);
    const a = (await add('第一课')).body;
    const b = (await add('第二课')).body;
    const z = (await add('导入', 1)).body;
    let detail = (await t.http.get(`/api/courses/${c.id}`).expect(200)).body;
    expect(detail.lessons.map((l: { title: string }) => l.title)).toEqual(['导入', '第一课', '第二课']);
    expect(detail.lessonCount).toBe(3);

    const order = await t.http.put(`/api/courses/${c.id}/lessons/order`).set(bearer(teacher)).send({ lessonIds: [b.id, a.id, z.id] }).expect(200);
    expect(order.body.map((l: { title: string; position: number }) => `${l.position}:${l.title}`)).toEqual(['1:第二课', '2:第一课', '3:导入']);
    await t.http.put(`/api/courses/${c.id}/lessons/order`).set(bearer(teacher)).send({ lessonIds: [b.id, a.id] }).expect(400);

    await t.http.delete(`/api/lessons/${a.id}`).set(bearer(teacher)).expect(204);
    detail = (await t.http.get(`/api/courses/${c.id}`).expect(200)).body;
    expect(detail.lessons.map((l: { position: number; title: string }) => `${l.position}:${l.title}`)).toEqual(['1:第二课', '2:导入']);
  });

  it('validates course fields and references', async () => {
    const res = await t.http.post('/api/courses').set(bearer(teacher)).send({ title: '', subjectId: 2, gradeId: 3 }).expect(400);
    expect(res.body.details[0]).toMatch(/title/);
    const unknown = await t.http.post('/api/courses').set(bearer(teacher)).send({ title: 'x', subjectId: 999, gradeId: 3 }).expect(400);
    expect(unknown.body.message).toBe('Subject 999 does not exist');
    await t.http.post('/api/courses').set(bearer(teacher)).send({ title: 'x'.repeat(201), subjectId: 2, gradeId: 3 }).expect(400);
  });
});
