import { seedDemo } from '../src/seed/seed-demo.js';
import { TestApp } from './support/test-app.js';

describe('demo county seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('fills a county a newcomer can browse, reports progress, and runs only once', async () => {
    const steps: string[] = [];
    const report = await seedDemo(t.dataSource, t.dataDir, (s) => steps.push(s));
    // Four weeks of: music Tue+Thu (8), English Mon+Wed (8), music Fri (4), art Wed (4).
    expect(report).toEqual({ seeded: true, schools: 7, classrooms: 13, teachers: 5, students: 6, courses: 12, lessons: 44, resources: 24, sessions: 24 });
    expect(steps[0]).toBe('[1/6] schools');
    expect(steps).toHaveLength(6);

    const catalogue = await t.http.get('/api/courses').query({ q: '分数' }).expect(200);
    expect(catalogue.body.items[0]).toMatchObject({ title: '分数的初步认识', lessonCount: 4, subject: { nameZh: '数学' } });
    const cover = await t.http.get(catalogue.body.items[0].coverUrl).expect(200);
    expect(cover.headers['content-type']).toBe('image/png');
    const resources = await t.http.get(`/api/courses/${catalogue.body.items[0].id}/resources`).expect(200);
    expect(resources.body.map((r: { title: string }) => r.title)).toEqual(['教学设计（教案）']); // the worksheet is for the school
    await t.http.get(resources.body[0].latest.downloadUrl).expect(200);

    const login = await t.http.post('/api/auth/login').send({ email: 'room1@demo.tongke.cn', password: 'tongke-demo-2026' }).expect(200);
    expect(login.body.user.role).toBe('classroom');

    expect((await seedDemo(t.dataSource, t.dataDir, () => {})).seeded).toBe(false);
  });
});
