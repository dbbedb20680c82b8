import { PASSWORD, TestApp } from './support/test-app.js';

describe('accounts and login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create({ LOGIN_THROTTLE_LIMIT: '5' });
  });
  afterAll(() => t.close());

  it('logs in with email and password and answers a bearer token', async () => {
    const teacher = await t.user('teacher', { email: 'li.ming@school.cn' });
    const res = await t.http.post('/api/auth/login').send({ email: 'Li.Ming@School.cn ', password: PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 43200, user: { id: teacher.id, role: 'teacher' } });
    expect(typeof res.body.accessToken).toBe('string');
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.headers['set-cookie']?.[0]).toMatch(/^tongke_token=.+HttpOnly/);
    const me = await t.http.get('/api/auth/me').auth(res.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.email).toBe('li.ming@school.cn');
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const u = await t.user('student');
    const [{ password_hash }] = await t.dataSource.query('SELECT password_hash FROM app_user WHERE id = $1', [u.id]);
    expect(password_hash).toMatch(/^\$argon2id\$/);
    expect(password_hash).not.toContain(PASSWORD);
  });

  it('refuses a wrong password or an unknown email with the same 401', async () => {
    await t.user('teacher', { email: 'wang@school.cn' });
    const wrong = await t.http.post('/api/auth/login').send({ email: 'wang@school.cn', password: 'nope-nope' }).expect(401);
    const unknown = await t.http.post('/api/auth/login').send({ email: 'nobody@school.cn', password: 'nope-nope' }).expect(401);
    expect(wrong.body.message).toBe('Wrong email or password');
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('validates the login body and names the field', async () => {
    const res = await t.http.post('/api/auth/login').send({ email: 'not-an-email', password: 'x' }).expect(400);
    expect(res.body.details).toEqual(['email must be an email address']);
    const extra = await t.http.post('/api/auth/login').send({ email: 'a@b.cn', password: 'x', admin: true }).expect(400);
    expect(extra.body.message).toMatch(/property admin should not exist/);
  });

  it('throttles repeated failed guesses on one account with 429 and Retry-After', async () => {
    await t.user('teacher', { email: 'target@school.cn' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await t.http.post('/api/auth/login').send({ email: 'target@school.cn', password: `guess-${i}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const blocked = await t.http.post('/api/auth/login').send({ email: 'target@school.cn', password: PASSWORD }).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/Too many login attempts; try again in \d+ seconds/);
    // Another account from the same address is not locked out by it.
    const other = await t.user('teacher');
    await t.http.post('/api/auth/login').send({ email: other.email, password: PASSWORD }).expect(200);
  });

  it('counts a burst of parallel guesses too', async () => {
    const u = await t.user('teacher');
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.http.post('/api/auth/login').send({ email: u.email, password: `burst-${i}` }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('forgets earlier mistakes after a successful login', async () => {
    const u = await t.user('teacher');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await t.http.post('/api/auth/login').send({ email: u.email, password: 'typo-typo' }).expect(401);
      await t.http.post('/api/auth/login').send({ email: u.email, password: PASSWORD }).expect(200);
    }
  });

  it('answers 401 without a token, with a bad token, and for a deactivated account', async () => {
    await t.http.get('/api/auth/me').expect(401);
    await t.http.get('/api/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    await t.http.get('/api/auth/me').set('Authorization', 'Basic abc').expect(401);
    const u = await t.user('teacher');
    await t.dataSource.query('UPDATE app_user SET is_active = false WHERE id = $1', [u.id]);
    const res = await t.http.get('/api/auth/me').auth(u.token, { type: 'bearer' }).expect(401);
    expect(res.body.message).toMatch(/log in again/);
  });

  it('accepts the login cookie for downloads (GET) but never for changes', async () => {
    const teacher = await t.user('teacher');
    const cookie = `tongke_token=${teacher.token}`;
    await t.http.get('/api/auth/me').set('Cookie', cookie).expect(200);
    await t.http.post('/api/courses').set('Cookie', cookie).send({ title: 'x', subjectId: 1, gradeId: 1 }).expect(401);
  });

  it('creates the first admin once from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const { UsersService } = await import('../src/schools/users.service.js');
    const users = t.app.get(UsersService);
    expect(await users.ensureAdmin('root@tongke.cn', 'first-admin-pass')).toBe('created');
    expect(await users.ensureAdmin('other@tongke.cn', 'second-admin-pass')).toBe('exists');
    await t.http.post('/api/auth/login').send({ email: 'root@tongke.cn', password: 'first-admin-pass' }).expect(200);
    await t.http.post('/api/auth/login').send({ email: 'other@tongke.cn', password: 'second-admin-pass' }).expect(401);
  });
});
