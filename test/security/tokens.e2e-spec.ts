import type { Socket } from 'socket.io-client';
import { connectLive, listenLive } from '../support/live-socket.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';

/** #11.8: logging out, a new password and deactivation end an account's sessions at once, sockets included. */
describe('revoking tokens', () => {
  let t: TestApp;
  let admin: TestUser;
  let url: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await TestApp.create();
    admin = await t.user('admin');
    url = await listenLive(t);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = async (email: string, password = PASSWORD) => (await t.http.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken as string;
  const connect = (token: string) => connectLive(url, token, sockets);
  const disconnected = (socket: Socket) => new Promise<number>((resolve) => {
    const since = Date.now();
    socket.once('disconnect', () => resolve(Date.now() - since));
  });

  it('logging out ends the token at once, and its open socket; a new login works', async () => {
    const teacher = await t.user('teacher');
    const token = await login(teacher.email);
    const socket = await connect(token);
    const closed = disconnected(socket);
    await t.http.post('/api/auth/logout').set(bearer(token)).expect(204);
    expect(await closed).toBeLessThan(1000);
    const refused = await t.http.get('/api/auth/me').set(bearer(token)).expect(401);
    expect(refused.body.message).toBe('Your session is invalid or has expired; please log in again');
    await expect(connect(token)).rejects.toThrow('Your session is invalid or has expired; please log in again');
    await t.http.get('/api/auth/me').set(bearer(await login(teacher.email))).expect(200);
  });

  it('a new password ends the sessions opened with the old one', async () => {
    const teacher = await t.user('teacher');
    const token = await login(teacher.email);
    const socket = await connect(token);
    const closed = disconnected(socket);
    await t.http.patch(`/api/users/${teacher.id}`).set(bearer(admin.token)).send({ password: 'a-brand-new-secret-2027' }).expect(200);
    expect(await closed).toBeLessThan(1000);
    await t.http.get('/api/auth/me').set(bearer(token)).expect(401);
    await t.http.get('/api/auth/me').set(bearer(await login(teacher.email, 'a-brand-new-secret-2027'))).expect(200);
  });

  it('deactivation closes the open socket within a second, and reactivation does not revive old tokens', async () => {
    const room = await t.user('teacher');
    const token = await login(room.email);
    const socket = await connect(token);
    const closed = disconnected(socket);
    await t.http.patch(`/api/users/${room.id}`).set(bearer(admin.token)).send({ isActive: false }).expect(200);
    expect(await closed).toBeLessThan(1000);
    await t.http.patch(`/api/users/${room.id}`).set(bearer(admin.token)).send({ isActive: true }).expect(200);
    await t.http.get('/api/auth/me').set(bearer(token)).expect(401);
  });

  it('leaves other accounts signed in', async () => {
    await t.http.get('/api/auth/me').set(bearer(admin.token)).expect(200);
  });
});
