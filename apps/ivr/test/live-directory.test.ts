import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneDevices } from '../../../packages/server/test/support/leftovers.js';
import {
  startTestServer,
  testAdminPassword,
  type TestServer,
} from '../../../packages/server/test/support/test-server.js';
import { fetchMailboxes } from '../src/mailbox-directory.js';

/** The mailbox directory against a real Strowger's admin API: end users with a primary extension. */
describe('mailboxes from a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: `
lines:
  - { dn: "1001" }
  - { dn: "1002" }
  - { dn: "1003" }
devices:
${phoneDevices(['1001', '1002', '1003'])}
endUsers:
  - { userId: alice, displayName: Alice, primaryExtension: "1001" }
  - { userId: bob, primaryExtension: "1002" }
  - { userId: carol }
`,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads the end users with a primary extension as mailboxes, over HTTP Basic', async () => {
    const mailboxes = await fetchMailboxes({ url: server.httpUrl, user: 'admin', password: testAdminPassword });
    expect(mailboxes).toEqual([
      { extension: '1001', userId: 'alice', displayName: 'Alice' },
      { extension: '1002', userId: 'bob' },
    ]);
  });

  it('says which credentials were refused', async () => {
    await expect(fetchMailboxes({ url: server.httpUrl, user: 'admin', password: 'not-the-password' })).rejects.toThrow(
      /refused admin \(401\)/,
    );
  });
});
