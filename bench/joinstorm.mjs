// Join storm: N classrooms join one live class in the same second through the real signaling path, timed
// from the moment each sends `class:join` to the first media packet of the teacher's video and audio.
//
// Everything is real except the people: the built server (dist/src/main.js, its own migrations, socket.io
// gateway with JWT auth, mediasoup workers) on a throwaway PostgreSQL database; the teacher is Chromium's
// fake camera and microphone in the real LiveClient (simulcast video + audio); each classroom is a real
// LiveClient (own socket.io connection, mediasoup-client Device and RTCPeerConnection), several per
// headless Chromium page. Every classroom connects first, then all `class:join` messages are released at one
// instant (a start barrier). A classroom closes its consumers in the browser once both tracks have had their
// first packet, so the page doesn't decode N videos; the server keeps sending to them.
//   npm run bench:joinstorm        (BENCH_CLASSROOMS=200 BENCH_REPS=2 BENCH_PER_PAGE=20 BENCH_WORKERS=<cores>
//                                   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_TIMEOUT_S=60
//                                   BENCH_PROBE=1: also poll getStats for packetsReceived > 0, a cross-check of `unmute`)
//
// Signaling only (BENCH_MODE=signaling, no browsers): N socket.io clients in this process do what a classroom's
// client does on joining (class:join, a receive transport created and connected, a consumer of each of the
// teacher's media, resumed), all released at one instant, against a teacher who produced an audio and a simulcast
// video track with made-up RTP parameters (no media flows). It prints the server-side p50/p95/max of each
// message, for each N in BENCH_CLASSROOMS (a comma-separated list, e.g. 200,500).
//   BENCH_MODE=signaling BENCH_CLASSROOMS=200,500 npm run bench:joinstorm
// BENCH_NODES=2 runs two server processes on one database and BENCH_REDIS_URL (redis://127.0.0.1:6379), the
// workers split between them, and BENCH_CLASSES classes (default: one per node), each on its own node, as a proxy
// routing a class's sockets to its home node would; BENCH_CLASSES=2 BENCH_NODES=1 is the same load on one node.
// BENCH_SPAN=1 (with BENCH_NODES=2): one class spanning both nodes instead. Its home (the first node) takes
// BENCH_PER_NODE classrooms (LIVE_CLASSROOMS_PER_NODE, default 100) and opens the class's edge on the second as the
// class starts (it has more booked); every classroom connects to the home, and the ones it sends on
// (CLASS_FULL_HERE) connect to the node it names and join there, as the client does.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { freePort, withDatabase } from './support.mjs';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { build } from 'vite';
import { PasswordHasher } from '../dist/src/auth/password.hasher.js';
import { TokenService } from '../dist/src/auth/token.service.js';

const SIGNALING = process.env.BENCH_MODE === 'signaling';
/** Signaling only: nodes (sharing the database and BENCH_REDIS_URL, the workers split among them) and classes. */
const NODES = Number(process.env.BENCH_NODES ?? 1);
const SPAN = process.env.BENCH_SPAN === '1';
const CLASSES = SPAN ? 1 : Number(process.env.BENCH_CLASSES ?? NODES);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SIZES = String(process.env.BENCH_CLASSROOMS ?? 200).split(',').map(Number);
let N = SIZES[0];
const REPS = Number(process.env.BENCH_REPS ?? 2);
const PER_PAGE = Number(process.env.BENCH_PER_PAGE ?? 20);
const WORKERS = Number(process.env.BENCH_WORKERS ?? cpus().length);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 60);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLOSE_AFTER_FIRST = process.env.BENCH_KEEP_CONSUMERS !== '1';
const PROBE = process.env.BENCH_PROBE === '1';
const JWT_SECRET = `joinstorm-${Math.random().toString(36).slice(2)}-0123456789abcdef0123456789`;
const PASSWORD = 'join-storm-42';
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tongke-joinstorm-'));
const dbName = `tongke_joinstorm_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const log = (...a) => process.stderr.write(`[joinstorm] ${a.join(' ')}\n`);

// ---- the page bundle: the real client code, with the session module swapped for one token per socket ------

async function buildPage(outDir) {
  const sessionModule = join(root, 'client/src/auth/session.ts');
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    resolve: { alias: { '@contracts': join(root, 'src/contracts') } },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'joinstorm-session',
        enforce: 'pre',
        async resolveId(source, importer, options) {
          const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
          return resolved?.id === sessionModule ? join(root, 'bench/joinstorm-session.mjs') : null;
        },
      },
    ],
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: join(root, 'bench/joinstorm-page.mjs'), formats: ['es'], fileName: () => 'joinstorm.js' },
    },
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>join storm</title><script type="module" src="/joinstorm.js"></script>\n');
}

// ---- the server ------------------------------------------------------------------------------------------------


async function admin(sql) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function startServer(clientDir, extraEnv = {}) {
  const port = await freePort();
  const probe = join(root, 'bench/joinstorm-server-probe.mjs');
  const server = spawn(process.execPath, ['--enable-source-maps', '--import', probe, 'dist/src/main.js'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: withDatabase(PG_URL, dbName),
      DATA_DIR: join(work, 'data'),
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      SERVE_CLIENT: 'true',
      CLIENT_DIR: clientDir,
      MEDIASOUP_WORKERS: String(WORKERS),
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_WEBRTC_PORT: String(30000 + Math.floor(Math.random() * 20000)),
      MEDIASOUP_LOG_LEVEL: 'warn',
      // The fixtures book hundreds of classrooms from this one address.
      HTTP_RATE_LIMIT: '0',
      // Plain HTTP only (the pages are on localhost): two nodes would want the same HTTPS port.
      HTTPS_PORT: '0',
      ...extraEnv,
    },
  });
  const relay = (stream) => stream.on('data', (d) => process.stderr.write(`[server] ${d}`));
  relay(server.stdout);
  relay(server.stderr);
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 600) throw new Error('the server did not come up in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, server, exited, nodeId: extraEnv.NODE_ID };
}

/** The server's own handling time per message (bench/joinstorm-server-probe.mjs), since the last call. */
function serverSamples(server) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m?.type !== 'joinstorm:report') return;
      server.off('message', on);
      resolve(m.samples);
    };
    server.on('message', on);
    server.send('joinstorm:report');
  });
}

// ---- fixtures, through the API where the product has one ------------------------------------------------------

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function fixtures(base, db) {
  // Accounts are inserted directly with one shared argon2 hash (as the tests do); the teacher logs in through
  // the API. Classroom devices get their tokens from the server's own TokenService with the server's secret:
  // 200 logins would be 200 argon2 verifications (64 MiB each) on a 2-core machine.
  const hash = await new PasswordHasher().hash(PASSWORD);
  const [{ id: city }] = (await db.query(`INSERT INTO school (name, kind, province, city, county) VALUES ('城关一小', 'urban', '甘肃省', '定西市', '渭源县') RETURNING id`)).rows;
  const [{ id: rural }] = (await db.query(`INSERT INTO school (name, kind, province, city, county) VALUES ('上湾教学点', 'rural', '甘肃省', '定西市', '渭源县') RETURNING id`)).rows;
  const tokens = new TokenService(new JwtService({ secret: JWT_SECRET, signOptions: { expiresIn: 3600, issuer: 'tongke' } }));

  /**
   * A fresh session with N freshly booked classrooms (a classroom can't be on two overlapping sessions), of a
   * fresh teacher (nor can a teacher: her ended class still holds its time).
   */
  async function session(rep) {
    const email = `teacher-${rep}@joinstorm.test`;
    await db.query(`INSERT INTO app_user (email, password_hash, display_name, role, school_id) VALUES ($1, $2, '王老师', 'teacher', $3)`, [email, hash, city]);
    const { accessToken: teacherToken } = await api(base, null, 'POST', '/api/auth/login', { email, password: PASSWORD });
    const course = await api(base, teacherToken, 'POST', '/api/courses', { title: '《春天在哪里》歌唱课', subjectId: 4, gradeId: 3, status: 'published' });
    const { rows } = await db.query(
      `WITH u AS (
         INSERT INTO app_user (email, password_hash, display_name, role, school_id)
         SELECT 'room-' || $1 || '-' || g || '@joinstorm.test', $2, '教室 ' || $1 || '-' || g, 'classroom', $3 FROM generate_series(1, $4) g
         RETURNING id)
       INSERT INTO classroom (school_id, name, grade_id, device_user_id) SELECT $3, '三年级 ' || $1 || '-' || id, 3, id FROM u RETURNING id, device_user_id`,
      [rep, hash, rural, N],
    );
    const start = new Date(Date.now() + 2 * 60_000);
    const s = await api(base, teacherToken, 'POST', '/api/sessions', {
      courseId: course.id,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 40 * 60_000).toISOString(),
    });
    // BENCH_RECORD=0: the class is not recorded (compare what the recorder's ffmpeg costs the storm).
    if (process.env.BENCH_RECORD === '0') await api(base, teacherToken, 'PUT', `/api/sessions/${s.id}/recording`, { record: false });
    const queue = [...rows];
    const book = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) await api(base, teacherToken, 'POST', `/api/sessions/${s.id}/classrooms`, { classroomId: r.id });
    };
    await Promise.all([book(), book(), book(), book()]);
    return { sessionId: s.id, teacherToken, tokens: await Promise.all(rows.map((r) => tokens.issue(r.device_user_id, 'classroom', 0))) };
  }
  return { session };
}

// ---- CPU: the server (node + mediasoup workers), the browser, this process, the whole machine ------------------

const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

function processTicks() {
  const procs = new Map(); // pid -> { ppid, ticks }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const subtree = (pid) => {
    let total = 0;
    const stack = [pid];
    const seen = new Set();
    while (stack.length) {
      const p = stack.pop();
      if (seen.has(p)) continue;
      seen.add(p);
      total += procs.get(p)?.ticks ?? 0;
      for (const [child, info] of procs) if (info.ppid === p) stack.push(child);
    }
    return { total, seen };
  };
  return subtree;
}

function machineTicks() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/);
  const v = f.map(Number);
  return { busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7], all: v.slice(0, 8).reduce((a, b) => a + b, 0) };
}

function cpuSnapshot(serverPid) {
  const subtree = processTicks();
  const server = subtree(serverPid);
  const mine = subtree(process.pid);
  const self = process.cpuUsage();
  return {
    server: server.total / TICK,
    // Everything this process started except the server: Chromium and its helpers.
    browser: (mine.total - server.total) / TICK - (readSelfTicks() / TICK),
    self: (self.user + self.system) / 1e6,
    machine: machineTicks(),
    at: performance.now(),
  };
}

function readSelfTicks() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function cpuBetween(a, b) {
  const s = (b.at - a.at) / 1000;
  return {
    seconds: s,
    server: (b.server - a.server) / s,
    browser: (b.browser - a.browser) / s,
    self: (b.self - a.self) / s,
    machine: ((b.machine.busy - a.machine.busy) / (b.machine.all - a.machine.all)) * cpus().length,
  };
}

// ---- figures ---------------------------------------------------------------------------------------------------

const at = (k) => (m) => m[k];
const between = (a, b) => (m) => m[b] - m[a];
const firstMedia = (m) => Math.min(m.audio ?? Infinity, m.video ?? Infinity);
/** Cumulative: when each step was done, counted from the moment class:join was sent. */
const TIMELINE = [
  ['join ack', at('join')],
  ['recv transport created', at('transport')],
  ['first consume ack', at('consume')],
  ['transport:connect ack', at('connect')],
  ['first consumer:resume ack', at('resume')],
  ['second consumer:resume ack', at('resume:last')],
  ['ICE+DTLS connected', at('dtls')],
  ['first audio packet', at('audio')],
  ['first video packet', at('video')],
  ['FIRST MEDIA PACKET (any)', firstMedia],
];
/** Where the time goes: each request's round trip (server, wire, and the page taking the answer), and the page's own work in between. */
const STEPS = [
  ['server: class:join', between('join>', 'join')],
  ['page: Device.load, state', between('join', 'transport>')],
  ['server: transport:create', between('transport>', 'transport')],
  ['page: createRecvTransport', between('transport', 'consume>')],
  ['server: consume', between('consume>', 'consume')],
  ['page: consume (SDP)', between('consume', 'connect>')],
  ['server: transport:connect', between('connect>', 'connect')],
  ['page: finish SDP', between('connect', 'resume>')],
  ['server: consumer:resume', between('resume>', 'resume')],
  ['resume ack -> first packet', (m) => firstMedia(m) - m.resume],
  ['resume ack -> DTLS connected', between('resume', 'dtls')],
  ['DTLS -> first video packet', between('dtls', 'video')],
];
const PROBE_ROWS = [
  ['stats: first audio packet', at('stats:audio')],
  ['stats: first video packet', at('stats:video')],
];

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const fmt = (x) => (Number.isFinite(x) ? String(Math.round(x)) : '-');

function table(heading, rows, results) {
  console.log(`  ${heading.padEnd(32)}   p50     p95     max      n`);
  for (const [label, f] of rows) {
    const v = results.map((r) => f(r.marks)).filter(Number.isFinite).sort((a, b) => a - b);
    console.log(`  ${label.padEnd(32)}${fmt(quantile(v, 0.5)).padStart(6)}  ${fmt(quantile(v, 0.95)).padStart(6)}  ${fmt(v[v.length - 1]).padStart(6)}  ${String(v.length).padStart(5)}`);
  }
}

function printRun(title, results, extra) {
  const ok = results.filter((r) => !r.error && Number.isFinite(r.marks.video) && Number.isFinite(r.marks.audio)).length;
  console.log(`\n${title}: ${ok}/${results.length} classrooms got the teacher's video and audio${extra ? `; ${extra}` : ''}`);
  table('ms after class:join was sent', PROBE ? [...TIMELINE, ...PROBE_ROWS] : TIMELINE, results);
  table('steps (ms each)', STEPS, results);
  const errors = new Map();
  for (const r of results) if (r.error) errors.set(r.error, (errors.get(r.error) ?? 0) + 1);
  for (const [e, n] of errors) console.log(`  ${n} x ${e}`);
}

function printHandled(handled) {
  console.log('  inside the server (message in -> ack out)  p50     p95     max      n');
  for (const name of ['class:join', 'transport:create', 'consume', 'transport:connect', 'consumer:resume']) {
    const v = (handled[name] ?? []).sort((a, b) => a - b);
    console.log(`  ${name.padEnd(41)}${fmt(quantile(v, 0.5)).padStart(6)}  ${fmt(quantile(v, 0.95)).padStart(6)}  ${fmt(v[v.length - 1]).padStart(6)}  ${String(v.length).padStart(5)}`);
  }
}

// ---- one storm -------------------------------------------------------------------------------------------------

async function storm(browser, base, srvProc, fx, rep) {
  const serverPid = srvProc.pid;
  const { sessionId, tokens, teacherToken } = await fx.session(rep);
  const teacherPage = await browser.newPage();
  await teacherPage.goto(base);
  await teacherPage.waitForFunction(() => globalThis.bench !== undefined);
  await teacherPage.evaluate((a) => globalThis.bench.teacher(a), { token: teacherToken, sessionId });
  // Let the simulcast layers ramp up before anyone joins.
  await new Promise((r) => setTimeout(r, 3000));

  const pages = [];
  for (let i = 0; i < tokens.length; i += PER_PAGE) {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForFunction(() => globalThis.bench !== undefined);
    pages.push({ page, tokens: tokens.slice(i, i + PER_PAGE) });
  }
  await Promise.all(pages.map(({ page, tokens: t }) => page.evaluate((a) => globalThis.bench.prepare(a), { tokens: t, sessionId, closeAfterFirst: CLOSE_AFTER_FIRST, probe: PROBE })));

  await serverSamples(srvProc);
  const startAt = Date.now() + 1000;
  const released = pages.map(({ page }) => page.evaluate((a) => globalThis.bench.release(a), { startAt, timeoutMs: TIMEOUT_S * 1000 }));
  await new Promise((r) => setTimeout(r, startAt - Date.now()));
  const cpu0 = cpuSnapshot(serverPid);
  const perPage = await Promise.all(released);
  const results = perPage.flatMap((p) => p.records);
  const lagMax = Math.max(...perPage.map((p) => p.lag.max));
  // The storm is over when the last classroom has its video (or gave up).
  const t0s = results.map((r) => r.t0).filter(Number.isFinite);
  const ends = results.flatMap((r) => [r.marks.video, r.marks.audio]).filter(Number.isFinite);
  const cpu1 = cpuSnapshot(serverPid);
  const cpu = cpuBetween(cpu0, cpu1);
  const spread = Math.max(...t0s) - Math.min(...t0s);
  const stormMs = Math.max(...ends) - Math.min(...t0s);
  const handled = await serverSamples(srvProc);
  const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
  const perWorker = [...metrics.matchAll(/^tongke_worker_consumers\{worker="(\d+)"\} (\d+)/gm)].map((m) => `w${m[1]}=${m[2]}`).join(' ');

  // Relative times, per classroom.
  const relative = results.map((r) => ({
    error: r.error,
    marks: Object.fromEntries(Object.entries(r.marks).map(([k, t]) => [k, t - r.t0])),
  }));

  await teacherPage.evaluate(() => globalThis.bench.endClass());
  for (const { page } of pages) await page.close();
  await teacherPage.close();
  return { relative, spread, stormMs, cpu, perWorker, lagMax, handled };
}

// ---- the signaling-only storm (BENCH_MODE=signaling) -----------------------------------------------------------

const FAKE_DTLS = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }] };
const OPUS = { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] };
const VP8 = {
  mid: '1',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
  encodings: [{ ssrc: 2221, rid: 'r0' }, { ssrc: 2222, rid: 'r1' }, { ssrc: 2223, rid: 'r2' }].map(({ ssrc }) => ({ ssrc })),
};

function liveSocket(base, token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function ask(socket, name, body) {
  const ack = await socket.timeout(TIMEOUT_S * 1000).emitWithAck(name, body);
  if (!ack.ok) throw Object.assign(new Error(`${name}: ${ack.error.status} ${ack.error.message}`), { live: ack.error });
  return ack.data;
}

/**
 * One storm over `servers` (nodes): CLASSES classes of N/CLASSES classrooms each, class k on node k mod nodes (as
 * the proxy routes a class's sockets to its home), every classroom of every class released at one instant.
 */
async function signalingStorm(servers, fx, rep, n) {
  const classes = [];
  N = Math.round(n / CLASSES);
  for (let k = 0; k < CLASSES; k++) {
    const node = servers[k % servers.length];
    const { sessionId, tokens, teacherToken } = await fx.session(`${rep}-${k}`);
    const teacher = await liveSocket(node.base, teacherToken);
    await ask(teacher, 'class:start', { sessionId });
    await ask(teacher, 'class:join', { sessionId });
    const send = await ask(teacher, 'transport:create', { direction: 'send' });
    await ask(teacher, 'transport:connect', { transportId: send.id, dtlsParameters: FAKE_DTLS });
    await ask(teacher, 'produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: OPUS });
    await ask(teacher, 'produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: VP8 });
    const rooms = [];
    for (let i = 0; i < tokens.length; i += 50) rooms.push(...(await Promise.all(tokens.slice(i, i + 50).map((t) => liveSocket(node.base, t)))));
    classes.push({ sessionId, teacher, rooms, tokens });
  }
  for (const s of servers) await serverSamples(s.server);
  const startAt = Date.now() + 500;
  await new Promise((r) => setTimeout(r, startAt - Date.now()));
  const cpu0 = servers.map((s) => cpuSnapshot(s.server.pid));
  const results = await Promise.all(
    classes.flatMap(({ sessionId, rooms, tokens }) =>
      rooms.map(async (first, i) => {
        const t0 = performance.now();
        let s = first;
        try {
          let joined;
          try {
            joined = await ask(s, 'class:join', { sessionId });
          } catch (e) {
            // Sent on by a full home: to the node it names, as the client does.
            const to = servers.find((x) => x.nodeId === e.live?.node);
            if (e.live?.code !== 'CLASS_FULL_HERE' || !to) throw e;
            s = await liveSocket(to.base, tokens[i]);
            rooms[i] = s;
            joined = await ask(s, 'class:join', { sessionId });
          }
          const join = performance.now() - t0;
          const recv = await ask(s, 'transport:create', { direction: 'recv' });
          await ask(s, 'transport:connect', { transportId: recv.id, dtlsParameters: FAKE_DTLS });
          for (const p of joined.producers) {
            const c = await ask(s, 'consume', { producerId: p.producerId, rtpCapabilities: joined.routerRtpCapabilities });
            await ask(s, 'consumer:resume', { consumerId: c.id });
          }
          return { join, ready: performance.now() - t0 };
        } catch (e) {
          return { error: e.message };
        }
      }),
    ),
  );
  const cpus = servers.map((s, i) => cpuBetween(cpu0[i], cpuSnapshot(s.server.pid)));
  const cpu = { server: cpus.reduce((t, c) => t + c.server, 0), seconds: Math.max(...cpus.map((c) => c.seconds)) };
  const handled = {};
  for (const s of servers) for (const [k, v] of Object.entries(await serverSamples(s.server))) (handled[k] ??= []).push(...v);
  for (const { sessionId, teacher, rooms } of classes) {
    await ask(teacher, 'class:end', { sessionId });
    for (const s of [...rooms, teacher]) s.disconnect();
  }
  return { results, handled, cpu };
}

function printSignaling(n, r) {
  const ok = r.results.filter((x) => !x.error);
  const errors = new Map();
  for (const x of r.results) if (x.error) errors.set(x.error, (errors.get(x.error) ?? 0) + 1);
  const q = (k) => {
    const v = ok.map((x) => x[k]).sort((a, b) => a - b);
    return `p50 ${fmt(quantile(v, 0.5))} ms, p95 ${fmt(quantile(v, 0.95))} ms, max ${fmt(v[v.length - 1])} ms`;
  };
  console.log(
    `\n${n} classrooms in ${CLASSES} class(es) on ${NODES} node(s)${SPAN ? ' (the class spanning them)' : ''}: ${ok.length} ready, ${r.results.length - ok.length} failed; ` +
      `server CPU ${r.cpu.server.toFixed(2)} cores over ${r.cpu.seconds.toFixed(1)} s`,
  );
  console.log(`  seen by the clients: join ${q('join')}; join to consumers resumed ${q('ready')}`);
  for (const [e, k] of errors) console.log(`  ${k} x ${e}`);
  printHandled(r.handled);
}

// ---- main ------------------------------------------------------------------------------------------------------

let srv;
const more = [];
let browser;
let db;
let created = false;
try {
  if (!SIGNALING) await buildPage(join(work, 'client'));
  await admin(`CREATE DATABASE "${dbName}"`);
  created = true;
  // Several nodes (signaling only): one database, one Redis, the workers split among them.
  const nodeEnv = (i) =>
    NODES > 1
      ? {
          REDIS_URL,
          NODE_ID: `bench-${i}`,
          MEDIASOUP_WORKERS: String(Math.max(1, Math.floor(WORKERS / NODES))),
          MEDIASOUP_PIPE_IP: '127.0.0.1',
          // Two nodes on one machine: pipe ports of their own each.
          MEDIASOUP_PIPE_PORTS: `${44500 + i * 100}-${44599 + i * 100}`,
          ...(SPAN ? { LIVE_CLASSROOMS_PER_NODE: process.env.BENCH_PER_NODE ?? '100' } : {}),
        }
      : {};
  srv = await startServer(join(work, 'client'), nodeEnv(0));
  for (let i = 1; i < (SIGNALING ? NODES : 1); i++) more.push(await startServer(join(work, 'client'), nodeEnv(i)));
  db = new pg.Client({ connectionString: withDatabase(PG_URL, dbName) });
  await db.connect();
  const fx = await fixtures(srv.base, db);
  if (SIGNALING) {
    console.log(
      `join storm, signaling only: ${SIZES.join(' and ')} classrooms in ${CLASSES} class(es), ${NODES} node(s), ${WORKERS} mediasoup workers in all, ` +
        `${cpus().length} cores, ${REPS} run(s) each`,
    );
    for (const n of SIZES) {
      for (let rep = 1; rep <= REPS; rep++) printSignaling(n, await signalingStorm([srv, ...more], fx, `${n}-${rep}`, n));
    }
  }
  if (!SIGNALING) browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
      // Background pages (all but one) must not have their timers throttled.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
  if (!SIGNALING) console.log(
    `join storm: ${N} classrooms, ${PER_PAGE} per Chromium page, ${WORKERS} mediasoup workers, ${cpus().length} cores, ${REPS} runs; ` +
      `teacher: fake camera 1280x720 simulcast x3 + mic; ${CLOSE_AFTER_FIRST ? 'consumers closed in the browser after their first packets' : 'consumers kept'}`,
  );
  const all = [];
  const handledAll = {};
  for (let rep = 1; rep <= (SIGNALING ? 0 : REPS); rep++) {
    const r = await storm(browser, srv.base, srv.server, fx, rep);
    all.push(...r.relative);
    const c = r.cpu;
    printRun(
      `run ${rep}`,
      r.relative,
      `joins sent within ${fmt(r.spread)} ms; last media ${fmt(r.stormMs)} ms after the first join; consumers per worker after: ${r.perWorker}\n` +
        `  CPU over those ${c.seconds.toFixed(1)} s, in cores: server ${c.server.toFixed(2)} (node + mediasoup workers), browser ${c.browser.toFixed(2)}, ` +
        `this script ${c.self.toFixed(2)}, whole machine ${c.machine.toFixed(2)} of ${cpus().length}; longest stall of a page's main thread ${fmt(r.lagMax)} ms`,
    );
    printHandled(r.handled);
    for (const [k, v] of Object.entries(r.handled)) (handledAll[k] ??= []).push(...v);
  }
  if (!SIGNALING && REPS > 1) {
    printRun(`all ${REPS} runs`, all);
    printHandled(handledAll);
  }
} finally {
  await browser?.close().catch(() => undefined);
  await db?.end().catch(() => undefined);
  for (const s of [srv, ...more].filter(Boolean)) {
    s.server.kill('SIGTERM');
    await Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (s.server.exitCode === null) s.server.kill('SIGKILL');
  }
  if (created) await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e) => log(`could not drop ${dbName}: ${e.message}`));
  rmSync(work, { recursive: true, force: true });
}
