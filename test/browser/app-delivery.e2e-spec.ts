import { readdirSync, readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Response } from 'playwright-core';
import { launchBrowser, logIn, type Browser } from '../support/browser.js';
import { PASSWORD, TestApp } from '../support/test-app.js';

const CLIENT_DIR = resolve(import.meta.dirname, '..', '..', 'client', 'dist');

/** The bytes as they cross the wire (supertest would decompress them). */
function wire(url: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/**
 * How the web app reaches a classroom on a thin link: compressed once at build time (brotli, gzip), hashed
 * assets cached for a year without revalidation, pages revalidated, and a service worker that serves the
 * second visit from the browser's cache.
 */
describe('web app delivery', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser | undefined;
  const mainScript = /src="\/assets\/(index-[A-Za-z0-9_-]+\.js)"/.exec(readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8'))?.[1];

  beforeAll(async () => {
    t = await TestApp.create({ SERVE_CLIENT: 'true', CLIENT_DIR });
    await new Promise<void>((r) => t.app.getHttpServer().listen(0, '0.0.0.0', r));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('sends the built scripts compressed (brotli, else gzip), as they were built, and cacheable for a year', async () => {
    expect(mainScript).toBeDefined();
    const plain = readFileSync(join(CLIENT_DIR, 'assets', mainScript!));
    const br = await wire(`${base}/assets/${mainScript}`, 'gzip, deflate, br');
    expect(br.headers).toMatchObject({ 'content-encoding': 'br', 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' });
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.length / 2);

    const gz = await wire(`${base}/assets/${mainScript}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);

    const raw = await wire(`${base}/assets/${mainScript}`, 'identity');
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(raw.body.equals(plain)).toBe(true);
  });

  it('has every page revalidated (a new version reaches classrooms at once) and refuses paths out of the assets', async () => {
    for (const path of ['/', '/classroom/today', '/sw.js']) {
      const res = await t.http.get(path).expect(200);
      expect({ path, cache: res.headers['cache-control'] }).toEqual({ path, cache: 'no-cache' });
    }
    await t.http.get('/assets/..%2Findex.html').set('Accept-Encoding', 'br').expect((res) => expect(res.headers['content-encoding']).toBeUndefined());
  });

  it('keeps classrooms off the administration and editor code: they are chunks of their own', () => {
    const main = readFileSync(join(CLIENT_DIR, 'assets', mainScript!), 'utf8');
    const chunks = readdirSync(join(CLIENT_DIR, 'assets'));
    for (const page of ['SchoolsPage', 'UsersPage', 'CourseEditorPage', 'TimetablePage', 'CoveragePage', 'LivePage', 'RecordingPage']) {
      expect({ page, chunk: chunks.some((c) => c.startsWith(`${page}-`) && c.endsWith('.js')) }).toEqual({ page, chunk: true });
    }
    // Markup only those pages render is not in the code every page loads.
    for (const testId of ['course-saved', 'user-password-input']) expect({ testId, inMain: main.includes(testId) }).toEqual({ testId, inMain: false });
  });

  it('serves the second visit from the service worker', async () => {
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    // A function, not a string: the app's CSP forbids evaluating strings in the page.
    await page.waitForFunction(() => (navigator as unknown as { serviceWorker: { controller: unknown } }).serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    const responses: Response[] = [];
    page.on('response', (r) => responses.push(r));
    await page.reload();
    await page.getByTestId('search-input').waitFor();
    const assets = responses.filter((r) => new URL(r.url()).pathname.startsWith('/assets/'));
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.filter((r) => !r.fromServiceWorker()).map((r) => r.url())).toEqual([]);
  });

  it('says a live page opened over plain HTTP at a network address is not a secure context, not that the browser is unsupported', async () => {
    // This server serves no HTTPS of its own (HTTPS_PORT=0, as behind a proxy), so nothing redirects the page.
    const address = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((i) => i.family === 'IPv4' && !i.internal)?.address;
    expect(address).toBeDefined();
    const lan = `http://${address}:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const device = await t.user('classroom', { schoolId: await t.school('上湾教学点', 'rural') });
    browser ??= await launchBrowser();
    const page = await browser.context.newPage();
    await logIn(page, lan, device.email, PASSWORD);
    await page.goto(`${lan}/live/1`);
    await page.getByTestId('insecure-context').waitFor();
    expect(await page.getByTestId('insecure-context').textContent()).toContain('不是通过安全连接（HTTPS）打开的');
    expect(await page.getByTestId('live-error').count()).toBe(0);
  });
});
