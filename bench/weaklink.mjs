// Weak links: what a rural classroom sees and hears of a live class on each rung of the ladder of links it
// really has, and how fast its web app loads there.
//
// Everything is real and shipped as is: the built server (dist/src/main.js) with the default configuration
// (no MEDIASOUP_* variable, its generated certificate, HTTPS), the built web app, a teacher in headless
// Chromium on the server's host (fake 720p camera and microphone, the real teacher console), and one classroom
// at a time on a host of its own (a network namespace, test/support/county.ts) behind a shaped link: tbf for
// rate, nftables random drops at prerouting for loss, or no UDP at all. The classroom's Chromium trusts the
// server's certificate (as a school that installed it does), so its HTTP cache and service worker work.
//
// Per level: the cold load of the login page (a new profile), then the classroom logs in and joins, settles
// for BENCH_SETTLE_S, and is measured for BENCH_SECONDS from RTCPeerConnection.getStats() (inbound-rtp):
// video fps, picture size, time frozen, audio concealed samples; plus what its page says it receives, what the
// teacher's console says of it, and a reload of its today page (warm: from cache).
//   npm run bench:weaklink     (BENCH_SECONDS=25 BENCH_SETTLE_S=8 BENCH_LEVELS=unshaped,512k,... BENCH_PG_URL=…)
/* global window, document */ // page code below runs in the browser (page.evaluate, addInitScript)
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, withDatabase } from './support.mjs';
import { chromium } from 'playwright-core';
import { PasswordHasher } from '../dist/src/auth/password.hasher.js';
import { CHROMIUM_ARGS as TEST_CHROMIUM_ARGS } from '../dist/test/support/browser.js';
import { County } from '../dist/test/support/county.js';

const LEVELS = [
  { id: 'unshaped', label: 'unshaped', shape: {} },
  { id: '2m', label: '2 Mbps / 1 Mbps, 1 %', shape: { downKbit: 2000, upKbit: 1000, lossPercent: 1 } },
  { id: '512k', label: '512 / 256 kbps, 3 %', shape: { downKbit: 512, upKbit: 256, lossPercent: 3 } },
  { id: '256k', label: '256 / 128 kbps, 5 %', shape: { downKbit: 256, upKbit: 128, lossPercent: 5 } },
  { id: '128k', label: '128 / 64 kbps, 5 %', shape: { downKbit: 128, upKbit: 64, lossPercent: 5 } },
  { id: '64k', label: '64 / 32 kbps, 5 %', shape: { downKbit: 64, upKbit: 32, lossPercent: 5 } },
  { id: 'noudp', label: 'UDP blocked', shape: { blockUdp: true } },
];
const wanted = process.env.BENCH_LEVELS?.split(',');
const levels = wanted ? LEVELS.filter((l) => wanted.includes(l.id)) : LEVELS;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 25);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 8);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'weak-link-42';
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tongke-weaklink-'));
const dbName = `tongke_weaklink_${process.pid}`;
const log = (...a) => process.stderr.write(`[weaklink] ${a.join(' ')}\n`);
// This machine's Chromium flags (test/support/browser.ts), plus a fake camera, microphone and screen.
const CHROMIUM_ARGS = [...TEST_CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];


async function sql(url, text, params = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function startServer() {
  const [port, httpsPort] = [await freePort(), await freePort()];
  const dataDir = join(work, 'data');
  const server = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HTTPS_PORT: String(httpsPort),
      DATABASE_URL: withDatabase(PG_URL, dbName),
      DATA_DIR: dataDir,
      JWT_SECRET: `weaklink-${Math.random().toString(36).slice(2)}-0123456789abcdef0123456789`,
      LOG_LEVEL: 'warn',
      RECORDING_X264_PRESET: 'superfast',
    },
  });
  const relay = (stream) => stream.on('data', (d) => process.stderr.write(`[server] ${d}`));
  relay(server.stdout);
  relay(server.stderr);
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error('the server did not come up in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // The classrooms trust the server's certificate by its public key, as a school that installed it would.
  const cert = new X509Certificate(readFileSync(join(dataDir, 'tls', 'self-signed.crt')));
  const spki = createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return { port, httpsPort, server, spki };
}

async function seed(url, count) {
  const hash = await new PasswordHasher().hash(PASSWORD);
  const [{ id: city }] = await sql(url, `INSERT INTO school (name, kind, province, city, county) VALUES ('城关一小', 'urban', '甘肃省', '定西市', '渭源县') RETURNING id`);
  const [{ id: rural }] = await sql(url, `INSERT INTO school (name, kind, province, city, county) VALUES ('上湾教学点', 'rural', '甘肃省', '定西市', '渭源县') RETURNING id`);
  const user = async (email, role, school) =>
    (await sql(url, `INSERT INTO app_user (email, password_hash, display_name, role, school_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [email, hash, email.split('@')[0], role, school]))[0].id;
  const teacherId = await user('teacher@weak.link', 'teacher', city);
  const classrooms = [];
  for (let i = 0; i < count; i++) {
    const email = `room${i}@weak.link`;
    const deviceId = await user(email, 'classroom', rural);
    const [{ id }] = await sql(url, `INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, 3, $3) RETURNING id`, [rural, `三年级 ${i + 1} 班`, deviceId]);
    classrooms.push({ id, email });
  }
  const [{ id: courseId }] = await sql(url, `INSERT INTO course (title, subject_id, grade_id, teacher_id, status, published_at) VALUES ('《春天在哪里》', 4, 3, $1, 'published', now()) RETURNING id`, [teacherId]);
  const [{ id: sessionId }] = await sql(
    url,
    `INSERT INTO class_session (course_id, teacher_id, title, starts_at, ends_at) VALUES ($1, $2, '《春天在哪里》', now() + interval '2 minutes', now() + interval '62 minutes') RETURNING id`,
    [courseId, teacherId],
  );
  // The trigger copies the session's time range onto each booking.
  for (const c of classrooms) await sql(url, `INSERT INTO session_classroom (session_id, classroom_id, during) VALUES ($1, $2, 'empty')`, [sessionId, c.id]);
  return { sessionId, classrooms };
}

async function browser(args, executablePath) {
  const profile = mkdtempSync(join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executablePath ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
  });
  return { context, close: () => context.close() };
}

/** Keeps every RTCPeerConnection the page makes, so that the bench can read its stats. */
const KEEP_PEER_CONNECTIONS = () => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
};

/** Totals of the inbound streams of every peer connection of the page. */
async function inbound(page) {
  return page.evaluate(async () => {
    // The teacher's screen share is told apart from her camera by its track.
    const screenTracks = new Set(
      [...document.querySelectorAll('[data-testid="screen-video"]')].flatMap((v) => v.srcObject?.getVideoTracks().map((t) => t.id) ?? []),
    );
    const out = { frames: 0, slideFrames: 0, freezeS: 0, width: 0, height: 0, concealed: 0, samples: 0, videoBytes: 0, audioBytes: 0, audioNacks: 0, audioLost: 0, jitterS: 0, emitted: 0, pairs: [] };
    for (const pc of window.__pcs) {
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && screenTracks.has(s.trackIdentifier)) {
          out.slideFrames += s.framesDecoded ?? 0;
          out.videoBytes += s.bytesReceived ?? 0;
        } else if (s.type === 'inbound-rtp' && s.kind === 'video') {
          out.frames += s.framesDecoded ?? 0;
          out.freezeS += s.totalFreezesDuration ?? 0;
          out.videoBytes += s.bytesReceived ?? 0;
          if ((s.frameWidth ?? 0) * (s.frameHeight ?? 0) > out.width * out.height) [out.width, out.height] = [s.frameWidth, s.frameHeight];
        }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          out.concealed += s.concealedSamples ?? 0;
          out.samples += s.totalSamplesReceived ?? 0;
          out.audioBytes += s.bytesReceived ?? 0;
          out.audioNacks += s.nackCount ?? 0;
          out.audioLost += s.packetsLost ?? 0;
          out.jitterS += s.jitterBufferDelay ?? 0;
          out.emitted += s.jitterBufferEmittedCount ?? 0;
        }
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          const local = stats.get(s.localCandidateId);
          out.pairs.push(local?.protocol ?? '?');
        }
      });
    }
    return out;
  });
}

/** What the classroom's page says it receives now. */
async function pageSays(page) {
  const el = page.getByTestId('receiving-layer');
  return (await el.count()) ? el.first().textContent() : null;
}

/** The most frequent value, with its share when it isn't the only one ("320×180 (80 %)"). */
function mostOf(counts) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const [value, n] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0] ?? ['—', 0];
  return n === total ? value : `${value} (${Math.round((100 * n) / total)} %)`;
}

/** Bytes that crossed the wire for a page load (from the resource timing of the page and its navigation). */
async function transferred(page) {
  return page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((n, e) => n + (e.transferSize ?? 0), 0),
  );
}

async function main() {
  const county = County.create(levels.length);
  let server;
  const closers = [];
  try {
    await sql(PG_URL, `CREATE DATABASE ${dbName}`);
    server = await startServer();
    const dbUrl = withDatabase(PG_URL, dbName);
    const { sessionId, classrooms } = await seed(dbUrl, levels.length);

    // The teacher, on the server's host.
    const teacher = await browser([`--ignore-certificate-errors-spki-list=${server.spki}`, '--auto-select-desktop-capture-source=Entire screen']);
    closers.push(teacher.close);
    const teacherPage = await teacher.context.newPage();
    const local = `https://localhost:${server.httpsPort}`;
    await teacherPage.goto(`${local}/login`);
    await teacherPage.getByTestId('login-email').fill('teacher@weak.link');
    await teacherPage.getByTestId('login-password').fill(PASSWORD);
    await teacherPage.getByTestId('login-submit').click();
    await teacherPage.getByTestId('current-user').waitFor();
    await teacherPage.goto(`${local}/my/schedule`);
    await teacherPage.locator(`[data-testid="start-class"][data-session-id="${sessionId}"]`).click();
    await teacherPage.getByTestId('local-preview').waitFor();
    // …and shares her slides (Chromium's fake screen), the stills a thin link keeps when her camera can't pass.
    await teacherPage.getByTestId('toggle-screen').click();
    await teacherPage.locator('.screen-preview').waitFor({ timeout: 20_000 });
    log('the teacher is live, camera and slides');

    const rows = [];
    for (const [i, level] of levels.entries()) {
      const host = county.hosts[i];
      host.shape(level.shape);
      const room = await browser([`--ignore-certificate-errors-spki-list=${server.spki}`], host.chromium);
      const base = `https://${host.serverAddress}:${server.httpsPort}`;
      const row = { level: level.label };
      try {
        const page = await room.context.newPage();
        await page.addInitScript(KEEP_PEER_CONNECTIONS);
        let t0 = Date.now();
        await page.goto(`${base}/login`, { timeout: 120_000 });
        await page.getByTestId('login-submit').waitFor({ timeout: 120_000 });
        row.coldS = (Date.now() - t0) / 1000;
        row.coldKB = Math.round((await transferred(page)) / 1024);
        await page.getByTestId('login-email').fill(classrooms[i].email);
        await page.getByTestId('login-password').fill(PASSWORD);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('current-user').waitFor({ timeout: 60_000 });
        await page.goto(`${base}/classroom/today`, { timeout: 120_000 });
        await page.locator(`[data-testid="join-class"][data-session-id="${sessionId}"]`).waitFor({ timeout: 120_000 });
        t0 = Date.now();
        await page.reload({ timeout: 60_000 });
        await page.locator(`[data-testid="join-class"][data-session-id="${sessionId}"]`).waitFor({ timeout: 60_000 });
        row.warmS = (Date.now() - t0) / 1000;
        row.warmKB = Math.round((await transferred(page)) / 1024);
        t0 = Date.now();
        await page.locator(`[data-testid="join-class"][data-session-id="${sessionId}"]`).click();
        await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor({ timeout: 60_000 });
        row.joinS = (Date.now() - t0) / 1000;
        await page.waitForTimeout(SETTLE_S * 1000);
        // What the picture and the page say most of the time, read once a second.
        const pictures = new Map();
        const says = new Map();
        const count = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
        const a = await inbound(page);
        const started = Date.now();
        let b = a;
        while (Date.now() - started < SECONDS * 1000) {
          await page.waitForTimeout(1000);
          const now = await inbound(page);
          count(pictures, now.frames > b.frames && now.width ? `${now.width}×${now.height}` : '—');
          count(says, (await pageSays(page)) ?? '—');
          b = now;
        }
        const seconds = (Date.now() - started) / 1000;
        row.fps = (b.frames - a.frames) / seconds;
        row.slidesFps = (b.slideFrames - a.slideFrames) / seconds;
        row.picture = mostOf(pictures);
        row.frozenPct = (100 * (b.freezeS - a.freezeS)) / seconds;
        row.concealedPct = b.samples > a.samples ? (100 * (b.concealed - a.concealed)) / (b.samples - a.samples) : null;
        row.kbps = Math.round(((b.videoBytes + b.audioBytes - a.videoBytes - a.audioBytes) * 8) / seconds / 1000);
        row.transport = [...new Set(b.pairs)].join('+') || '—';
        if (process.env.BENCH_SDP === '1') {
          row.audioFeedback = await page.evaluate(() =>
            window.__pcs.flatMap((pc) =>
              [pc.localDescription?.sdp ?? '', pc.remoteDescription?.sdp ?? ''].map((sdp) =>
                sdp
                  .split('m=')
                  .filter((m) => m.startsWith('audio'))
                  .flatMap((m) => m.split('\r\n').filter((l) => l.startsWith('a=rtcp-fb') || l.startsWith('a=rtpmap')))
                  .join(' '),
              ),
            ),
          );
        }
        // Not in the table; in the log, to see why the voice was concealed.
        row.audioNacks = b.audioNacks - a.audioNacks;
        row.audioLost = b.audioLost - a.audioLost;
        row.audioJitterBufferMs = b.emitted > a.emitted ? Math.round((1000 * (b.jitterS - a.jitterS)) / (b.emitted - a.emitted)) : null;
        row.pageSays = mostOf(says);
        row.teacherSees = (await teacherPage.locator(`[data-testid="classroom-level"][data-classroom-id="${classrooms[i].id}"]`).textContent({ timeout: 1000 }).catch(() => null)) ?? '—';
      } catch (e) {
        row.error = e.message.split('\n')[0];
      } finally {
        await room.close().catch(() => undefined);
        host.shape({});
      }
      rows.push(row);
      log(JSON.stringify(row));
    }

    const f = (x, d = 1) => (x === undefined || x === null ? '—' : typeof x === 'number' ? x.toFixed(d) : x);
    console.log(`\nWeak links: one classroom per level, ${SECONDS} s each after ${SETTLE_S} s to settle; teacher 720p simulcast camera, slides (screen share) and mic\n`);
    console.log('| link (down / up, random loss) | camera fps | picture | slides fps | time frozen | audio concealed | received kbps | ICE | the page says | the teacher sees | cold load (KB) | warm load (KB) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      if (r.error) {
        console.log(`| ${r.level} | failed: ${r.error} ||||||||||`);
        continue;
      }
      console.log(
        `| ${r.level} | ${f(r.fps)} | ${r.picture} | ${f(r.slidesFps)} | ${f(r.frozenPct)} % | ${f(r.concealedPct)} % | ${r.kbps} | ${r.transport} | ${r.pageSays} | ${r.teacherSees} | ${f(r.coldS)} s (${r.coldKB}) | ${f(r.warmS)} s (${r.warmKB}) |`,
      );
    }
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    if (server) {
      server.server.kill('SIGTERM');
      await new Promise((r) => (server.server.exitCode !== null ? r() : server.server.once('exit', r)));
    }
    county.close();
    await sql(PG_URL, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) => log(`could not drop ${dbName}: ${e.message}`));
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(e.stack ?? e.message);
    process.exit(1);
  },
);
