import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this machine kind needs (see shared/FIELD-NOTES.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Another Chromium launcher: a classroom host's (`Host.chromium`, see county.ts) runs it on that host. */
  executablePath?: string;
  /** Accept the server's self-signed certificate, as a school does once when it opens the HTTPS address. */
  ignoreHTTPSErrors?: boolean;
}

/** A fresh profile per context, so two users never share cookies or storage. */
export async function launchBrowser(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tongke-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    acceptDownloads: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
  });
  // Whatever the server's Content-Security-Policy blocks is a bug of the app or of the policy: every browser
  // test fails on it when it closes its browser.
  const violations: string[] = [];
  const watch = (page: Page) =>
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (violations.length) throw new Error(`The page broke its Content-Security-Policy:\n${violations.join('\n')}`);
    },
  };
}

/** Logs `email` in through the login page (every test user has the same password) and waits for the header. */
export async function logIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}
