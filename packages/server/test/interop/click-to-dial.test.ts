import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSipUri } from '../../src/sip/index.js';
import { freeUdpPort, requireSipp, runSipp, waitForUdpListener, type SippRun } from '../support/sipp.js';
import { expectNoCallLeft, expectNoTransactionLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Third-party call control (RFC 3725) with SIPp playing both phones: the server calls the clicking
// phone without an offer, asking it to answer by itself (RFC 5373), then calls the number with the
// phone's offer, and completes the phone's session in its ACK.
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '2201' }
  - { dn: '2202' }
devices:
${phoneDevices(['2201', '2202'])}
`;

let server: TestServer;
/** The bodies of the INVITEs the server sent, by the number called. */
const invitesSent = new Map<string, string>();

beforeAll(async () => {
  requireSipp();
  server = await startTestServer({
    config,
    sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 },
    sipObserver: {
      messageSent: (message) => {
        if (message.kind === 'request' && message.method === 'INVITE' && isSipUri(message.uri))
          invitesSent.set(message.uri.user ?? '', Buffer.from(message.body).toString('utf8'));
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await expectNoTransactionLeft(server);
  await server?.stop();
}, 20_000);

afterEach(() => expectNoCallLeft(server));

function explain(run: SippRun): string {
  return `sipp exited ${run.code}\n${run.errors}\n${run.output.slice(-3000)}`;
}

async function phoneAnswering(dn: string, scenario: string): Promise<{ finished: Promise<SippRun> }> {
  const port = await freeUdpPort();
  const uas = runSipp({ scenario, port: server.sipPort, transport: 'udp', localPort: port, timeoutSeconds: 15 });
  await waitForUdpListener(port);
  const registration = await runSipp({
    scenario: 'phone-register-for-uas.xml',
    port: server.sipPort,
    transport: 'udp',
    service: dn,
    username: dn,
    password: `pw-${dn}`,
    keys: { contact_port: String(port) },
  });
  expect(registration.code, explain(registration)).toBe(0);
  return { finished: uas };
}

describe('click-to-dial with SIPp phones', () => {
  it('the clicking phone MUST be asked to auto-answer without an offer, and the number MUST get its offer', async () => {
    const clicker = await phoneAnswering('2201', 'uas-auto-answer-click-to-dial.xml');
    const callee = await phoneAnswering('2202', 'uas-answer-then-hang-up.xml');
    const callId = await server.strowger.engine.makeCall({ device: 'SEP000000002201', dialled: '2202' });
    expect(callId).toBeTruthy();
    const hungUp = await callee.finished;
    expect(hungUp.code, explain(hungUp)).toBe(0);
    const clicked = await clicker.finished;
    expect(clicked.code, explain(clicked)).toBe(0);
    expect(invitesSent.get('2201'), 'the clicking phone is called without an offer').toBe('');
    expect(invitesSent.get('2202'), 'the number is called with the clicking phone’s offer').toContain('o=clicker');
    await waitUntil(() => server.strowger.engine.callCount === 0);
  });
});
