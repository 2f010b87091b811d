import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testAdminPassword, type TestServer } from '../../../server/test/support/test-server.js';

/** Debian's Chromium (apt-get install chromium); the tests download no browser of their own. */
export const chromiumPath = process.env.STROWGER_CHROMIUM ?? '/usr/bin/chromium';

const webRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots land here (git-ignored); CI keeps them as the run's artifacts. */
export const screenshotDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Fails with the remedy when Chromium is missing, rather than skipping what must run. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not at ${chromiumPath}; install the Debian package (apt-get install chromium)`);
  }
}

/**
 * The server serves the UI from packages/web/dist; `npm test` builds it first. A targeted run of
 * one browser test builds it here when it is missing.
 */
export function ensureWebUiBuilt(): void {
  if (existsSync(`${webRoot}dist/index.html`)) return;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: webRoot, stdio: 'inherit' });
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page at 1280×800, the size the UI is made to work at. */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Signs in as the test server's admin account through the sign-in page, with the keyboard. */
export async function signIn(page: Page, server: TestServer): Promise<void> {
  await page.goto(server.httpUrl);
  await page.getByLabel('Account').fill('admin');
  await page.getByLabel('Password').fill(testAdminPassword);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}
