// Makes sure mediasoup's C++ worker binary is in place after `npm install` (the project's postinstall).
// mediasoup's own install script is not run (package.json "allowScripts"): it would fetch a prebuilt binary
// from its release page and, failing that, pip-install a build toolchain, which networks without those
// hosts can't. In order:
//   1. a worker already installed for this mediasoup version → nothing to do;
//   2. a cached build of this version → copied (cache: MS_BUILD_CACHE, /var/cache/tongke/mediasoup as root,
//      otherwise .cache/mediasoup);
//   3. the prebuilt binary from mediasoup's releases (skipped with TONGKE_MEDIASOUP_OFFLINE=1);
//   4. an offline build from Debian's packages (scripts/mediasoup/build-worker-offline.sh, 3–7 min, as root).
// MEDIASOUP_WORKER_BIN set: you bring your own binary, nothing is done.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { release } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const PATCH_REV = 2; // bump when build-worker-offline.sh or make-shims.sh change what is built
const root = resolve(import.meta.dirname, '..', '..');
const say = (m) => console.log(`[mediasoup-worker] ${m}`);

const ms = join(root, 'node_modules', 'mediasoup');
if (!existsSync(join(ms, 'package.json'))) {
  say('mediasoup is not installed; nothing to do');
  process.exit(0);
}
if (process.env.MEDIASOUP_WORKER_BIN) {
  say(`MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN}: using that binary`);
  process.exit(0);
}
const pkg = JSON.parse(readFileSync(join(ms, 'package.json'), 'utf8'));
const target = join(ms, 'worker', 'out', 'Release', 'mediasoup-worker');
const marker = `${target}.tongke`;
const cacheDir = process.env.MS_BUILD_CACHE ?? (process.getuid?.() === 0 && writable('/var/cache') ? '/var/cache/tongke/mediasoup' : join(root, '.cache', 'mediasoup'));

if (existsSync(target) && existsSync(marker) && readFileSync(marker, 'utf8').startsWith(pkg.version)) {
  say(`worker ${pkg.version} already installed`);
  process.exit(0);
}
if (existsSync(target) && !existsSync(marker)) {
  // Put there by mediasoup's own install script (npm versions that ignore "allowScripts" run it).
  writeFileSync(marker, `${pkg.version} from mediasoup's installer\n`);
  say(`worker ${pkg.version} installed by mediasoup's own installer`);
  process.exit(0);
}

for (const kind of ['prebuilt', `p${PATCH_REV}`]) {
  const cached = join(cacheDir, `mediasoup-worker-${pkg.version}-${kind}`);
  if (existsSync(cached)) {
    install(cached, `${pkg.version} ${kind} (cached)`);
    process.exit(0);
  }
}

if (process.env.TONGKE_MEDIASOUP_OFFLINE !== '1' && (await downloadPrebuilt())) process.exit(0);

say('no prebuilt worker could be downloaded: building it offline from Debian packages (3–7 minutes)');
const built = join(cacheDir, `mediasoup-worker-${pkg.version}-p${PATCH_REV}`);
const run = spawnSync('sh', [join(import.meta.dirname, 'build-worker-offline.sh'), ms, built], {
  stdio: 'inherit',
  env: { ...process.env, MS_BUILD_WORK: join(cacheDir, 'work') },
});
if (run.status !== 0 || !existsSync(built)) {
  console.error(
    '[mediasoup-worker] the worker could not be installed (see above). Everything but live classes works without it;\n' +
      '[mediasoup-worker] to add it later: sudo npm run setup:mediasoup (Debian 12), or set MEDIASOUP_WORKER_BIN.',
  );
  // Not fatal for a newcomer's install; CI must not pass without it.
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
install(built, `${pkg.version} p${PATCH_REV} (built offline)`);

function install(from, label) {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, `${target}.tmp`);
  chmodSync(`${target}.tmp`, 0o755);
  renameSync(`${target}.tmp`, target);
  writeFileSync(marker, `${label}\n`);
  say(`installed worker ${label}`);
}

async function downloadPrebuilt() {
  const base = process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ?? `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  const platform = process.platform;
  const kernel = platform === 'linux' ? `-kernel${release().split('.')[0]}` : '';
  const url = `${base}/${pkg.version}/mediasoup-worker-${pkg.version}-${platform}-${process.arch}${kernel}.tgz`;
  say(`trying the prebuilt worker (20 s at most)…`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    if (!res.ok) {
      say(`no prebuilt worker (${res.status})`);
      return false;
    }
    const dir = join(cacheDir, 'prebuilt-extract');
    mkdirSync(dir, { recursive: true });
    const tar = createRequire(join(ms, 'package.json'))('tar');
    const { Readable } = await import('node:stream');
    const { pipeline } = await import('node:stream/promises');
    await pipeline(Readable.fromWeb(res.body), tar.x({ cwd: dir, strict: true }));
    const cached = join(cacheDir, `mediasoup-worker-${pkg.version}-prebuilt`);
    renameSync(join(dir, 'mediasoup-worker'), cached);
    install(cached, `${pkg.version} prebuilt`);
    return true;
  } catch (e) {
    say(`prebuilt worker unavailable (${e?.name === 'TimeoutError' ? 'timed out' : (e?.cause?.code ?? e?.message ?? e)})`);
    return false;
  }
}

function writable(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
