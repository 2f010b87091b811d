import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phoneDevices } from '../../../server/test/support/leftovers.js';
import {
  freeUdpPort,
  requireSipp,
  runSipp,
  waitForUdpListener,
  type SippRun,
} from '../../../server/test/support/sipp.js';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server.js';
import { ensureWebUiBuilt, launchBrowser, openPage, screenshot, signIn } from './browser-support.js';

// The web admin UI in a real browser (Debian's Chromium, headless) against a real server, with
// SIPp playing the phones. One browser and one server for the whole file; the tests build on each
// other in order, as an administrator's session would.
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '2001' }
  - { dn: '2002' }
  - { dn: '3000', description: IVR pilot }
  - { dn: '3001' }
  - { dn: '3002' }
devices:
${phoneDevices(['2001', '2002'])}
  - { name: CTIRP_IVR, type: cti-route-point, lines: ['3000'] }
  - { name: CTIPORT_IVR1, type: cti-port, lines: ['3001'] }
  - { name: CTIPORT_IVR2, type: cti-port, lines: ['3002'] }
`;

let server: TestServer;
let browser: Browser;
let page: Page;
/** The call the Live test placed, which the Call trace test draws. */
let lastCallId = '';

beforeAll(async () => {
  requireSipp();
  ensureWebUiBuilt();
  server = await startTestServer({ config });
  browser = await launchBrowser();
  page = await openPage(browser);
}, 60_000);

// A failing test leaves a picture of the page as it was, beside the others.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page !== undefined) {
    await screenshot(
      page,
      `failed-${context.task.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60)}`,
    );
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function explain(run: SippRun): string {
  return `sipp exited ${run.code}\n${run.errors}\n${run.output.slice(-2000)}`;
}

/** Registers phone `dn` with its Contact at `contactPort`, as the phone itself would. */
async function register(dn: string, contactPort: number): Promise<void> {
  const run = await runSipp({
    scenario: 'phone-register-for-uas.xml',
    port: server.sipPort,
    transport: 'udp',
    service: dn,
    username: dn,
    password: `pw-${dn}`,
    keys: { contact_port: String(contactPort) },
  });
  expect(run.code, explain(run)).toBe(0);
}

describe('the web admin UI in a browser', () => {
  it('signs in with the session cookie and shows the dashboard', async () => {
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'strowger_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await screenshot(page, 'dashboard');
  });

  it('creates an application user in "Standard CTI Enabled" controlling a route point and two ports', async () => {
    await page.getByRole('link', { name: 'Application Users' }).click();
    await page.getByRole('button', { name: 'Add application user' }).click();
    await page.getByRole('heading', { name: 'Add application user' }).waitFor();
    await page.getByLabel('User ID').fill('ivr');
    // Validation as one types: a space is not allowed in a user id.
    await page.getByLabel('User ID').fill('ivr app');
    await page.getByText('Letters, digits, "_", ".", "@" and "-", at most 64').waitFor();
    await page.getByLabel('User ID').fill('ivr');
    await page.getByLabel('Password').fill('ivr-password-1');
    for (const device of ['CTIRP_IVR (CTI route point)', 'CTIPORT_IVR1 (CTI port)', 'CTIPORT_IVR2 (CTI port)']) {
      const picker = page.getByRole('textbox', { name: 'Controlled Devices' });
      await picker.click();
      await picker.fill(device.slice(0, 8));
      await page.getByRole('option', { name: device }).click();
    }
    await page.getByRole('textbox', { name: 'Groups' }).click();
    await page.getByRole('option', { name: 'Standard CTI Enabled', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByText('Roles', { exact: true }).waitFor();
    await screenshot(page, 'application-user-form');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Saved.').waitFor();

    const saved = (await (await server.fetchApi('/api/v1/application-users/ivr')).json()) as {
      devices: string[];
      groups: string[];
    };
    expect(saved.devices.sort()).toEqual(['CTIPORT_IVR1', 'CTIPORT_IVR2', 'CTIRP_IVR']);
    expect(saved.groups).toEqual(['Standard CTI Enabled']);
    await screenshot(page, 'application-user-saved');
  });

  it("shows the server's validation error at the field it names", async () => {
    await page.goto(`${server.httpUrl}/application-users/new`);
    await page.getByRole('heading', { name: 'Add application user' }).waitFor();
    await page.getByLabel('User ID').fill('ivr');
    await page.getByLabel('Password').fill('another-password');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // 409: the user id is taken, said under the User ID field.
    const field = page.getByLabel('User ID');
    await expect.poll(async () => field.getAttribute('aria-invalid')).toBe('true');
  });

  it("explains CTI access, and the verdict changes when the device's CTI flag is switched off", async () => {
    const explainUrl = `${server.httpUrl}/cti-access?user=ivr&kind=application-user&device=CTIRP_IVR`;
    await page.goto(explainUrl);
    await page.locator('[data-testid="verdict"][data-control="true"]').waitFor();
    await page.getByRole('table', { name: 'Rules' }).getByText('Standard CTI Enabled').first().waitFor();
    await screenshot(page, 'cti-access-allowed');

    await page.goto(`${server.httpUrl}/devices/CTIRP_IVR`);
    const flag = page.getByLabel('Allow Control of Device from CTI');
    await expect.poll(async () => flag.isChecked()).toBe(true);
    // With the keyboard, as the switch's input is drawn by the component library.
    await flag.focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => flag.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();

    await page.goto(explainUrl);
    await page.locator('[data-testid="verdict"][data-code="DEVICE_RESTRICTED"]').waitFor();
    expect(await page.locator('[data-testid="verdict"]').getAttribute('data-control')).toBe('false');
    await screenshot(page, 'cti-access-restricted');
  });

  it('a SIPp phone turns registered on Devices without a reload', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    const badge = page.getByTestId('registration-SEP000000002002');
    await expect.poll(async () => badge.getAttribute('data-state')).toBe('unregistered');
    // The page must not reload: a marker set on the window now is still there afterwards.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    await register('2002', await freeUdpPort());
    await expect.poll(async () => badge.getAttribute('data-state'), { timeout: 5000 }).toBe('registered');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, 'devices-registered');
  });

  it('a call placed between two SIPp phones shows on Live with its parties and states', async () => {
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByText('No call in progress.').waitFor();
    const uasPort = await freeUdpPort();
    const callee = runSipp({
      scenario: 'uas-answer-wait-for-bye.xml',
      port: server.sipPort,
      transport: 'udp',
      localPort: uasPort,
      timeoutSeconds: 20,
    });
    await waitForUdpListener(uasPort);
    await register('2002', uasPort);
    const caller = runSipp({
      extra: ['-d', '6000'],
      scenario: 'uac-call-caller-hangs-up.xml',
      port: server.sipPort,
      transport: 'udp',
      service: '2001',
      username: '2001',
      password: 'pw-2001',
      keys: { dial: '2002' },
      timeoutSeconds: 20,
    });
    await page.getByText('SEP000000002002 TALKING').waitFor({ timeout: 8000 });
    await page.getByText('SEP000000002001 TALKING').waitFor();
    const row = page.locator('[data-testid^="call-"]');
    const callId = ((await row.getAttribute('data-testid')) ?? '').slice('call-'.length);
    expect(callId).not.toBe('');
    await screenshot(page, 'live-call');
    const [called, calling] = await Promise.all([callee, caller]);
    expect(calling.code, explain(calling)).toBe(0);
    expect(called.code, explain(called)).toBe(0);
    await page.getByText('No call in progress.').waitFor();
    lastCallId = callId;
  });

  it('every page of the navigation opens from the keyboard at 1280×800, and none fails to load', async () => {
    await page.goto(server.httpUrl);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const links = await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').all();
    const labels = await Promise.all(links.map(async (link) => (await link.textContent()) ?? ''));
    expect(labels.length).toBe(17);
    for (const label of labels) {
      const link = page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: label, exact: true });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await expect.poll(async () => page.getByText('Loading…').count()).toBe(0);
      await expect.poll(async () => page.getByLabel('Loading').count()).toBe(0);
      const failures = await page.getByRole('alert').allTextContents();
      expect(failures, label).toEqual([]);
      await screenshot(page, `page-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }
  });

  it('shows the call as a SIP ladder in Call trace', async () => {
    await page.goto(`${server.httpUrl}/call-trace?callId=${encodeURIComponent(lastCallId)}`);
    const invite = page.locator('[data-testid="ladder-arrow"]', { hasText: 'INVITE' }).first();
    await invite.waitFor();
    await invite.click();
    await page.getByRole('dialog').getByText('Call-ID', { exact: false }).first().waitFor();
    await screenshot(page, 'call-trace');
  });

  it('imports lines in bulk: a dry run lists the problems by row and column, then a clean file applies with progress', async () => {
    await page.goto(`${server.httpUrl}/import`);
    const chooseFile = async (name: string, csv: string) =>
      page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await chooseFile('bad-lines.csv', 'dn,description,maxCalls\n4001,Imported 1,2\n4002,Imported 2,x\n');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const problems = page.getByRole('table', { name: 'Problems' });
    await problems.getByRole('cell', { name: 'maxCalls', exact: true }).waitFor();
    expect(await problems.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('3');
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await screenshot(page, 'import-problems');

    await chooseFile('lines.csv', 'dn,description,maxCalls\n4001,Imported 1,2\n4002,Imported 2,3\n');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText('The dry run found no problem').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Applied').waitFor();
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, 'import-applied');
    expect((await server.fetchApi('/api/v1/lines/4002')).status).toBe(200);
  });
});
