import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../packages/server/test/support/test-server.js';
import { parseConfig } from '../src/config.js';
import { fetchMailboxes } from '../src/mailbox-directory.js';

/**
 * The set-up of docs/ivr.md works as written: its server objects apply, its read-only account reads
 * the mailboxes, its application user may control every route point and port that the example IVR
 * configuration names, with the numbers the example uses.
 */
const guide = await readFile(new URL('../../../docs/ivr.md', import.meta.url), 'utf8');
const example = await readFile(new URL('../ivr.example.yaml', import.meta.url), 'utf8');

/** The first block of `lang` after `heading` in the guide. */
function block(lang: string, heading: string): string {
  const start = guide.indexOf(heading);
  const match = guide.slice(start).match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  if (start < 0 || match === null) throw new Error(`docs/ivr.md has no ${lang} block after "${heading}"`);
  return match[1] as string;
}

describe('docs/ivr.md set-up against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: block('yaml', '### 1. The route points') });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("step 2's read-only account reads the mailboxes", async () => {
    const curl = block('sh', '### 2. A read-only admin account');
    const body = curl.match(/-d '(\{.*\})'/)?.[1];
    expect(body).toBeDefined();
    const created = await server.fetchApi('/api/v1/admin-accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(created.status).toBe(201);
    const { username, password } = JSON.parse(body as string) as { username: string; password: string };
    expect(await fetchMailboxes({ url: server.httpUrl, user: username, password })).toEqual([
      { extension: '1001', userId: 'alice', displayName: 'Alice' },
    ]);
  });

  it("the application user may control every route point and port of the example configuration, on the example's numbers", async () => {
    const config = parseConfig(example, 'ivr.example.yaml');
    const devices = [
      ...config.routePoints.map((rp) => ({ name: rp.name, dn: rp.number })),
      ...config.ports.map((port) => ({ name: port.name, dn: port.dn })),
    ];
    for (const { name, dn } of devices) {
      const device = (await (await server.fetchApi(`/api/v1/devices/${name}`)).json()) as { lines: string[] };
      expect(device.lines, name).toEqual([dn]);
      const explained = (await (
        await server.fetchApi(`/api/v1/cti/explain?user=${config.cti.user}&device=${name}`)
      ).json()) as { control: boolean; summary: string };
      expect(explained.control, explained.summary).toBe(true);
    }
    expect(config.voicemail.pilot).toBe('5000');
  });
});
