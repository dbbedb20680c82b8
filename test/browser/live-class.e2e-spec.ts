import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { RecordingDto } from '../../src/contracts/api.js';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { bookedClass, expectDecoding, type BookedClass } from '../support/live-pages.js';
import { PASSWORD, TestApp, type TestUser } from '../support/test-app.js';
import { freePorts } from '../support/ports.js';

/**
 * Real WebRTC in headless Chromium (fake camera and microphone) through real mediasoup workers: the teacher
 * starts the class from her schedule; two classrooms see the join button appear on their "today" page and
 * decode the teacher's video (with one consumer per router, the second classroom is served through a pipe
 * to the other worker); one raises its hand, is given the floor, and the teacher decodes its video.
 */
describe('web app: a live synchronized class', () => {
  let t: TestApp;
  let base: string;
  let teacher: TestUser;
  let rooms: BookedClass['rooms'];
  let sessionId: number;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    t = await TestApp.create({
      SERVE_CLIENT: 'true',
      CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist'),
      MEDIASOUP_WORKERS: '2',
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_WEBRTC_PORT: String(await freePorts(2)),
      MEDIASOUP_MAX_CONSUMERS_PER_ROUTER: '2',
      // Three browsers, two workers and the recorder share two cores here.
      RECORDING_X264_PRESET: 'superfast',
    });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ teacher, rooms, sessionId } = await bookedClass(t, 'live.test', ['三年级甲', '三年级乙']));
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await t.close();
  });

  async function loggedIn(email: string): Promise<Page> {
    const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection']);
    browsers.push(browser);
    const page = await browser.context.newPage();
    await logIn(page, base, email, PASSWORD);
    return page;
  }

  let teacherPage: Page;
  const classroomPages: Page[] = [];

  it('the teacher starts the class and both booked classrooms join from their today page and decode her video', async () => {
    for (const r of rooms) {
      const page = await loggedIn(r.device.email);
      await page.goto(`${base}/classroom/today`);
      classroomPages.push(page);
    }
    teacherPage = await loggedIn(teacher.email);
    await teacherPage.goto(`${base}/my/schedule`);
    await teacherPage.locator(`[data-testid="start-class"][data-session-id="${sessionId}"]`).click();
    await teacherPage.waitForURL(new RegExp(`/live/${sessionId}$`));
    await teacherPage.getByTestId('local-preview').waitFor();

    for (const page of classroomPages) {
      // Pushed by the server the moment the class started: no reload; with it, the recording to watch with rewind.
      await page.locator(`[data-testid="watch-live-rewind"][data-session-id="${sessionId}"]`).first().waitFor({ timeout: 20_000 });
      await page.locator(`[data-testid="join-class"][data-session-id="${sessionId}"]`).click({ timeout: 20_000 });
      await page.waitForURL(new RegExp(`/live/${sessionId}$`));
    }
    for (const page of classroomPages) await expectDecoding(page, 'teacher-video');
    // The server says which simulcast layer its bandwidth estimate lets through to each classroom.
    for (const page of classroomPages) await page.getByTestId('receiving-layer').waitFor({ timeout: 20_000 });
    // …and the teacher's console says, of each classroom, what its link carries.
    for (const r of rooms) await teacherPage.locator(`[data-testid="classroom-level"][data-classroom-id="${r.id}"]`).waitFor({ timeout: 20_000 });
  });

  it('a classroom raises its hand, gets the floor, and the teacher decodes its video', async () => {
    const [first] = classroomPages;
    await first.getByTestId('raise-hand').click();
    const item = teacherPage.locator(`[data-testid="hand-queue-item"][data-classroom-id="${rooms[0].id}"]`);
    await item.getByTestId('grant-floor').click({ timeout: 20_000 });
    await first.getByTestId('floor-granted').waitFor({ timeout: 20_000 });
    await expectDecoding(teacherPage, 'talkback-video');
  });

  it('shows the classrooms that the teacher turned her camera off, and her video again when she turns it on', async () => {
    const [, second] = classroomPages;
    await teacherPage.getByTestId('toggle-camera').click();
    await second.getByText('老师暂时关闭了摄像头').waitFor({ timeout: 20_000 });
    // The camera stays off until the recording has gone on without it (a part of voice only has been written).
    const device = { Authorization: `Bearer ${rooms[1].device.token}` };
    const parts = await eventually(
      async () => {
        const parts = ((await t.http.get(`/api/sessions/${sessionId}/recording`).set(device).expect(200)).body as RecordingDto).parts;
        expect(parts).toBeGreaterThanOrEqual(2);
        return parts;
      },
      { what: 'a second part of the recording (voice only)', timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(parts).toBe(2);
    await teacherPage.getByTestId('toggle-camera').click();
    await expectDecoding(second, 'teacher-video');
  });

  it('records the class: a classroom can watch it live with rewind while it runs', async () => {
    const device = { Authorization: `Bearer ${rooms[1].device.token}` };
    const rec = (await t.http.get(`/api/sessions/${sessionId}/recording`).set(device).expect(200)).body as RecordingDto;
    expect(rec.status).toBe('recording');
    // Until at least two segments and more than 6 s of the class are listed (the MP4 later covers at least that).
    const playlist = await eventually(
      async () => {
        const res = await t.http.get(rec.playlistUrl).set(device);
        expect(res.status).toBe(200);
        expect((res.text.match(/\.ts$/gm) ?? []).length).toBeGreaterThanOrEqual(2);
        expect([...res.text.matchAll(/^#EXTINF:([\d.]+)/gm)].reduce((t, m) => t + Number(m[1]), 0)).toBeGreaterThan(6);
        return res.text;
      },
      { what: 'two segments and more than 6 s in the live playlist', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    const first = playlist.split('\n').find((l) => l.endsWith('.ts'))!;
    const seg = await t.http.get(rec.playlistUrl.replace('index.m3u8', first)).set(device).expect(200);
    expect(seg.headers['content-type']).toBe('video/mp2t');
  });

  it('the teacher ends the class, and its recording becomes an MP4 with picture and sound', async () => {
    await teacherPage.getByTestId('end-class').click();
    const device = { Authorization: `Bearer ${rooms[1].device.token}` };
    const rec = await eventually(
      async () => {
        const rec = (await t.http.get(`/api/sessions/${sessionId}/recording`).set(device).expect(200)).body as RecordingDto;
        return (rec.status === 'ready' || rec.status === 'failed') && rec;
      },
      { what: 'the recording to be processed (ready or failed)', timeoutMs: 60_000, intervalMs: 500 },
    );
    // The camera was turned off and on again: more than one part, joined into one file.
    expect({ status: rec.status, error: rec.error, manyParts: rec.parts >= 2, longEnough: (rec.durationSeconds ?? 0) > 5 }).toEqual({
      status: 'ready',
      error: null,
      manyParts: true,
      longEnough: true,
    });
    const mp4 = await t.http.get(rec.mp4Url!).set(device).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const file = join(t.dataDir, 'downloaded.mp4');
    writeFileSync(file, mp4.body as Buffer);
    const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]).toString();
    expect(streams.split('\n').filter(Boolean).sort()).toEqual(['aac', 'h264']);
  }, 90_000);
});
