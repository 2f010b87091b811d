import { beforeAll, describe, expect, it } from 'vitest';
import { openProvider, type CallEvent, type CtiEvent, type Provider } from '../../src/index.js';
import type { TestPhone } from '../../../server/test/support/test-phone.js';
import { phoneDevices, waitUntil } from '../../../server/test/support/leftovers.js';
import { CuttableProxy } from '../support/cuttable-proxy.js';
import { useLiveCti, type LiveCti } from '../support/live-cti.js';

/**
 * The SDK against a real Strowger with real SIP phones (Strowger's scripted test phone): what an
 * application sees of a call, through address observers, in JTAPI's order (domain reference §2.7),
 * and the same across a CTI connection cut mid-call.
 */
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '6001' }
  - { dn: '6002' }
devices:
${phoneDevices(['6001', '6002'])}
applicationUsers:
  - { userId: crm, password: crm-secret, devices: [SEP000000006001, SEP000000006002], groups: ['Standard CTI Enabled'] }
`;

const fixture = useLiveCti(config);
let live: LiveCti;
beforeAll(() => {
  live = fixture.live;
});
const phone = (dn: string): Promise<TestPhone> => fixture.phone(dn);

async function provider(servers: string[]): Promise<Provider> {
  const opened = await openProvider({ servers, user: 'crm', password: 'crm-secret', appInfo: 'sdk-live-test' });
  fixture.track(opened);
  return opened;
}

const talkingAt =
  (terminal: string) =>
  (ev: CallEvent): boolean =>
    ev.type === 'CallCtlTermConnTalkingEv' && ev.terminal === terminal;

/** "type(address or terminal)" for each event, the way the sequences of §2.7 are written. */
function describeEvent(ev: CtiEvent): string {
  if ('terminalConnection' in ev) return `${ev.type}(${ev.terminalConnection.terminal.name})`;
  if ('connection' in ev) return `${ev.type}(${ev.connection.address.name})`;
  return ev.type;
}

describe('the SDK against a live server', () => {
  it('opens a provider with the application user’s domain: its two phones, in service', async () => {
    await phone('6001');
    await phone('6002');
    const p = await provider([live.ctiUrl]);
    expect(p.state).toBe('IN_SERVICE');
    expect(p.user).toEqual({ userId: 'crm', kind: 'application-user' });
    expect(p.terminals.map((t) => t.name).sort()).toEqual(['SEP000000006001', 'SEP000000006002']);
    expect(p.getAddress('6001').terminals.map((t) => t.name)).toEqual(['SEP000000006001']);
    await waitUntil(() => p.getTerminal('SEP000000006001').inService && p.getTerminal('SEP000000006002').inService);
    expect(p.getAddress('6002').inService).toBe(true);
    // The administrator sees the application: who opened it, from where, and how much it reaches.
    const view = (await (await live.server.fetchApi('/api/v1/cti/sessions')).json()) as { items: unknown[] };
    expect(view).toMatchObject({ sessions: 1, providers: 1 });
    expect(view.items).toEqual([
      expect.objectContaining({
        providerId: p.providerId,
        userId: 'crm',
        userKind: 'application-user',
        appInfo: 'sdk-live-test',
        source: expect.stringMatching(/^127\.0\.0\.1/),
        connected: true,
        terminals: 2,
        restrictedTerminals: 0,
        addresses: 2,
        restrictedAddresses: 0,
      }),
    ]);
  });

  it('a basic call answered and released is seen through an address observer in JTAPI’s order', async () => {
    const caller = await phone('6001');
    const callee = await phone('6002');
    const p = await provider([live.ctiUrl]);
    const seen: CallEvent[] = [];
    await p.getAddress('6002').addCallObserver((ev) => void seen.push(ev));
    const call = await caller.call('6002');
    await waitUntil(() => seen.some(talkingAt('SEP000000006002')), 5000);
    await call.hangUp();
    await waitUntil(() => seen.some((e) => e.type === 'CallObservationEndedEv'), 5000);
    expect(callee.calls).toHaveLength(1);
    expect(seen.map(describeEvent)).toEqual([
      'CallActiveEv',
      'ConnCreatedEv(6001)',
      'ConnConnectedEv(6001)',
      'CallCtlConnEstablishedEv(6001)',
      // The caller's phone is in the domain too, so its terminal connection is reported.
      'TermConnCreatedEv(SEP000000006001)',
      'TermConnActiveEv(SEP000000006001)',
      'CallCtlTermConnTalkingEv(SEP000000006001)',
      'ConnCreatedEv(6002)',
      'ConnAlertingEv(6002)',
      'CallCtlConnAlertingEv(6002)',
      'TermConnCreatedEv(SEP000000006002)',
      'TermConnRingingEv(SEP000000006002)',
      'CallCtlTermConnRingingEv(SEP000000006002)',
      'ConnConnectedEv(6002)',
      'CallCtlConnEstablishedEv(6002)',
      'TermConnActiveEv(SEP000000006002)',
      'CallCtlTermConnTalkingEv(SEP000000006002)',
      // The caller hangs up: its side leaves first.
      'TermConnDroppedEv(SEP000000006001)',
      'CallCtlTermConnDroppedEv(SEP000000006001)',
      'ConnDisconnectedEv(6001)',
      'CallCtlConnDisconnectedEv(6001)',
      'TermConnDroppedEv(SEP000000006002)',
      'CallCtlTermConnDroppedEv(SEP000000006002)',
      'ConnDisconnectedEv(6002)',
      'CallCtlConnDisconnectedEv(6002)',
      'CallInvalidEv',
      'CallObservationEndedEv',
    ]);
    const first = seen[0]!;
    expect(first.call.callingAddress?.name).toBe('6001');
    expect(first.call.calledAddress).toBe(p.getAddress('6002'));
    expect(first.call.state).toBe('INVALID');
    expect(seen.every((e) => e.cause === 100)).toBe(true);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a connection cut mid-call: the SDK reconnects to the second address, resumes, and every event arrives once', async () => {
    const proxy = await CuttableProxy.start(live.ctiPort);
    const caller = await phone('6001');
    await phone('6002');
    // The first address goes through a relay that the test cuts; the second is the server itself.
    const p = await provider([proxy.url, live.ctiUrl]);
    const seen: CallEvent[] = [];
    const restored: boolean[] = [];
    p.on('connectionRestored', (e) => restored.push(e.resumed));
    await p.getAddress('6002').addCallObserver((ev) => void seen.push(ev));
    const call = await caller.call('6002');
    await waitUntil(() => seen.some(talkingAt('SEP000000006002')), 5000);
    const before = seen.length;
    await proxy.cut();
    await call.hangUp(); // released while the application is disconnected
    await waitUntil(() => seen.some((e) => e.type === 'CallObservationEndedEv'), 15_000);
    expect(restored).toEqual([true]);
    expect(p.server).toBe(live.ctiUrl);
    expect(before).toBe(17);
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size, 'no event twice').toBe(seqs.length);
    expect(seqs, 'no gap').toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    expect(seen.map((e) => e.type).slice(-10)).toEqual([
      'TermConnDroppedEv',
      'CallCtlTermConnDroppedEv',
      'ConnDisconnectedEv',
      'CallCtlConnDisconnectedEv',
      'TermConnDroppedEv',
      'CallCtlTermConnDroppedEv',
      'ConnDisconnectedEv',
      'CallCtlConnDisconnectedEv',
      'CallInvalidEv',
      'CallObservationEndedEv',
    ]);
  }, 30_000);
});
