import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { generate } from 'selfsigned';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { County } from '../support/county.js';
import { bookedClass, expectDecoding, type BookedClass } from '../support/live-pages.js';
import { freePorts } from '../support/ports.js';
import { PASSWORD, TestApp } from '../support/test-app.js';

const WEB = 'tongke.county.test';
const TURN = 'turn.county.test';
const SECRET = 'turn-tls-test-secret-0123456789';

/**
 * The strictest school firewall lets nothing out but TCP to port 443: no UDP, no media ports, no TURN port. The
 * classroom still has its class, through TURN over TLS on the same 443 as the web, as docker-compose.yml deploys
 * it: the compose file's own nginx `edge` configuration (read from docker-compose.yml, with this machine's ports)
 * routes by the name each TLS client asks for, TURN's name to its TLS endpoint and on to coturn as TURN over TCP,
 * every other name to the web. Caddy stands behind the edge in compose; here a PROXY-protocol hop in the same
 * nginx stands in for it (Debian's Caddy 2.6 predates its proxy_protocol listener), in front of the app's HTTPS.
 */
describe('field: a classroom whose firewall lets only TCP 443 out, through TURN over TLS on the shared 443', () => {
  let county: County;
  let t: TestApp;
  let booked: BookedClass;
  let dir: string;
  let httpsPort: number;
  const children: ChildProcess[] = [];
  const browsers: Browser[] = [];
  const logs: string[] = [];

  function start(file: string, args: string[]): ChildProcess {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => logs.push(`${file}: ${d.toString()}`));
    child.stderr!.on('data', (d: Buffer) => logs.push(`${file}: ${d.toString()}`));
    children.push(child);
    return child;
  }

  /** The `configs: <name>: content: |` block of docker-compose.yml, as compose hands it to the container. */
  function composeConfig(name: string): string {
    const compose = readFileSync(join(import.meta.dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    const start = compose.indexOf(`\n  ${name}:\n    content: |\n`);
    expect(start).toBeGreaterThan(-1);
    const lines = compose.slice(start).split('\n').slice(3);
    const body: string[] = [];
    for (const line of lines) {
      if (line !== '' && !line.startsWith('      ')) break;
      body.push(line.slice(6));
    }
    return body.join('\n');
  }

  beforeAll(async () => {
    county = County.create(1);
    const host = county.hosts[0];
    host.shape({ onlyServerTcpPorts: [443] });
    // HTTPS, TURN, the edge's TLS endpoint for TURN, Caddy's stand-in, and 20 relay ports.
    const base = await freePorts(24);
    const [turnPort, turnTlsPort, webPort, relayFrom] = [base + 1, base + 2, base + 3, base + 4];
    httpsPort = base;
    dir = mkdtempSync(join(tmpdir(), 'tongke-turn-tls-'));
    chmodSync(dir, 0o755);

    // TURN's certificate, where the edge's workers (not root) read it at each handshake.
    const pems = await generate([{ name: 'commonName', value: TURN }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: TURN }] }],
    });
    writeFileSync(join(dir, 'turn.crt'), pems.cert);
    writeFileSync(join(dir, 'turn.key'), pems.private, { mode: 0o644 });

    // coturn as compose runs it (TLS ends at the edge), on this machine's ports; the media server here is on the
    // county's 198.18.0.0/15 link, which compose's denied-peer-ip list would refuse, so that list is left out.
    start('turnserver', [
      '--listening-ip=127.0.0.1',
      `--listening-port=${turnPort}`,
      '--fingerprint',
      '--use-auth-secret',
      `--static-auth-secret=${SECRET}`,
      '--realm=tongke',
      `--min-port=${relayFrom}`,
      `--max-port=${relayFrom + 19}`,
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--no-multicast-peers',
      `--userdb=${join(dir, 'turndb')}`,
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      '--log-file=stdout',
      '--simple-log',
    ]);

    let edge = composeConfig('edge')
      .replaceAll('$$', '$')
      .replace(/\$\{TURN_DOMAIN:\?[^}]*\}/g, TURN)
      .replace('user nginx;', 'user nobody nogroup;')
      .replace('listen 443;', `listen ${host.serverAddress}:443;`)
      .replace('listen [::]:443;', '')
      .replaceAll('127.0.0.1:5349', `127.0.0.1:${turnTlsPort}`)
      .replaceAll('127.0.0.1:8443', `127.0.0.1:${webPort}`)
      .replaceAll('127.0.0.1:3478', `127.0.0.1:${turnPort}`)
      .replace('/run/turn-tls/turn', join(dir, 'turn'));
    // Caddy's stand-in: takes the PROXY protocol header off and passes the TLS on to the app.
    edge = edge.replace(/\}\s*$/, `  server {\n    listen 127.0.0.1:${webPort} proxy_protocol;\n    proxy_pass 127.0.0.1:${httpsPort};\n  }\n}\n`);
    const module = '/usr/lib/nginx/modules/ngx_stream_module.so';
    if (existsSync(module)) edge = `load_module ${module};\n${edge}`;
    writeFileSync(join(dir, 'nginx.conf'), edge);
    const nginx = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`];
    // The configuration is checked first, so that a broken one fails here and says why.
    await new Promise<void>((ok, fail) =>
      start('nginx', ['-t', ...nginx]).on('exit', (code) => (code === 0 ? ok() : fail(new Error(`nginx -t: ${logs.join('')}`)))),
    );
    start('nginx', nginx);

    t = await TestApp.create({
      SERVE_CLIENT: 'true',
      CLIENT_DIR: resolve(import.meta.dirname, '..', '..', 'client', 'dist'),
      HTTPS_PORT: String(httpsPort),
      TURN_URLS: `turns:${TURN}:443?transport=tcp`,
      TURN_SECRET: SECRET,
      RECORDING_X264_PRESET: 'superfast',
    });
    // Listening on plain HTTP too, as the server does (the live socket's server starts with it).
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => t.https!.listen(httpsPort, '127.0.0.1', r));
    booked = await bookedClass(t, 'turn-tls.test', ['四年级甲']);
  }, 60_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await t?.close();
    for (const child of children) child.kill();
    county?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the classroom gets the page and the class over 443 alone, and decodes the teacher through a TURN relay over TLS', async () => {
    const host = county.hosts[0];
    // The school's DNS: both names are the server's address on the classroom's network.
    const resolver = `--host-resolver-rules=MAP ${WEB} ${host.serverAddress}, MAP ${TURN} ${host.serverAddress}`;
    // The TURN certificate is this test's own: Chromium's TLS for TURN accepts it only with the command-line
    // switch (a school's real TURN_DOMAIN has Caddy's Let's Encrypt certificate).
    const classroomBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', resolver, '--ignore-certificate-errors'], {
      executablePath: host.chromium,
      ignoreHTTPSErrors: true,
    });
    browsers.push(classroomBrowser);
    const classroom = await classroomBrowser.context.newPage();
    await classroom.addInitScript(`{
      const Native = window.RTCPeerConnection;
      window.__pcs = [];
      window.RTCPeerConnection = class extends Native { constructor(...a) { super(...a); window.__pcs.push(this);
        this.addEventListener('icecandidateerror', (e) => console.log('icecandidateerror', e.url, e.errorCode, e.errorText));
      } };
    }`);
    // Why a relay failed (icecandidateerror), with coturn's and nginx's output, is printed if it does.
    classroom.on('console', (m) => logs.push(`classroom console: ${m.text()}\n`));
    const base = `https://${WEB}`;
    await logIn(classroom, base, booked.rooms[0].device.email, PASSWORD);
    await classroom.goto(`${base}/classroom/today`);

    const teacherBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'], { ignoreHTTPSErrors: true });
    browsers.push(teacherBrowser);
    const teacher: Page = await teacherBrowser.context.newPage();
    const local = `https://localhost:${httpsPort}`;
    await logIn(teacher, local, booked.teacher.email, PASSWORD);
    await teacher.goto(`${local}/my/schedule`);
    await teacher.locator(`[data-testid="start-class"][data-session-id="${booked.sessionId}"]`).click();
    await teacher.getByTestId('local-preview').waitFor();

    await classroom.locator(`[data-testid="join-class"][data-session-id="${booked.sessionId}"]`).click({ timeout: 20_000 });
    await classroom.waitForURL(new RegExp(`/live/${booked.sessionId}$`));
    try {
      await expectDecoding(classroom, 'teacher-video');
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${logs.join('').slice(-4000)}`, { cause: e });
    }

    // What carries it: the selected pair's local candidate is a relay reached over TLS.
    const carriers = (await classroom.evaluate(`(async () => {
      const out = [];
      for (const pc of window.__pcs) {
        const stats = [...(await pc.getStats()).values()];
        for (const pair of stats.filter((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated)) {
          const local = stats.find((s) => s.id === pair.localCandidateId);
          out.push(local.candidateType + '/' + (local.relayProtocol ?? local.protocol));
        }
      }
      return out;
    })()`)) as string[];
    expect(carriers.length).toBeGreaterThan(0);
    expect(new Set(carriers)).toEqual(new Set(['relay/tls']));
  }, 120_000);
});
