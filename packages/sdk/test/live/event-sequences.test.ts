import { beforeAll, describe, expect, it } from 'vitest';
import { openProvider, type CallEvent, type Provider } from '../../src/index.js';
import type { TestPhone } from '../../../server/test/support/test-phone.js';
import { type PhoneCall } from '../../../server/test/support/test-phone.js';
import { phoneDevices, waitUntil } from '../../../server/test/support/leftovers.js';
import { useLiveCti, type LiveCti } from '../support/live-cti.js';

/**
 * The event sequences of the domain reference (§2.4–2.7) as an application sees them: through the
 * SDK, from a live server, with real SIP phones (Strowger's scripted test phone) placing, answering,
 * refusing, transferring and conferencing the calls. Each scenario's whole list is written out —
 * event, address or terminal, states, the three causes, the connection reason and the call's
 * addresses — so an event missing, extra, out of order or with a wrong cause fails the test.
 */
const config = `
settings: { sipRealm: strowger, conferenceNumber: '7900' }
lines:
  - { dn: '7001' }
  - { dn: '7002', maxCalls: 4, busyTrigger: 4, forward: { noAnswer: { destination: '7003' }, noAnswerSeconds: 1 } }
  - { dn: '7003' }
devices:
${phoneDevices(['7001', '7002', '7003'])}
applicationUsers:
  - { userId: seq, password: seq-secret, devices: [SEP000000007001, SEP000000007002, SEP000000007003], groups: ['Standard CTI Enabled'] }
`;

const fixture = useLiveCti(config);
let live: LiveCti;
beforeAll(() => {
  live = fixture.live;
});
const phone = (dn: string): Promise<TestPhone> => fixture.phone(dn);

/** The n-th call a phone received, once it has. */
async function answeredOn(p: TestPhone, n: number): Promise<PhoneCall> {
  await waitUntil(() => p.calls.length >= n, 5000);
  const call = p.calls[n - 1];
  if (call === undefined) throw new Error(`${p.dn} did not get call ${n}`);
  return call;
}

/** A provider as the application user, one observer on each of `addresses`, and what it is told. */
async function observe(addresses: string[]): Promise<{ provider: Provider; seen: CallEvent[] }> {
  const provider = await openProvider({
    servers: [live.ctiUrl],
    user: 'seq',
    password: 'seq-secret',
    appInfo: 'seq-test',
  });
  fixture.track(provider);
  const seen: CallEvent[] = [];
  for (const address of addresses) await provider.getAddress(address).addCallObserver((ev) => void seen.push(ev));
  return { provider, seen };
}

/** Waits until every call the observers saw has ended its observation. */
async function untilObservationEnded(seen: CallEvent[], calls: number): Promise<void> {
  await waitUntil(() => seen.filter((e) => e.type === 'CallObservationEndedEv').length >= calls, 8000);
}

/**
 * One line per event: the call (c1, c2 in order of appearance), the event, whose it is, its states,
 * causes as core/call-control/Cisco, and the call's parties — the fields §2.6 says every CallCtlCallEv
 * carries. Connection events add the CiscoConnection reason; transfer and conference events their
 * controller.
 */
function rows(seen: CallEvent[]): string[] {
  const calls: string[] = [];
  return seen.map((ev) => {
    if (!calls.includes(ev.callId)) calls.push(ev.callId);
    const call = `c${calls.indexOf(ev.callId) + 1}`;
    const causes = `${ev.cause}/${ev.callControlCause ?? '-'}/${ev.ciscoCause}`;
    const parties = `${ev.callingAddress ?? '-'}>${ev.calledAddress ?? '-'}${ev.lastRedirectedAddress === null ? '' : ` lr=${ev.lastRedirectedAddress}`}`;
    let who = '';
    if ('terminalConnectionState' in ev) {
      who = ` ${ev.terminal} ${ev.terminalConnectionState}/${ev.callControlTerminalConnectionState}`;
    } else if ('connectionState' in ev) {
      who = ` ${ev.address} ${ev.connectionState}/${ev.callControlState} r=${ev.reason}`;
    } else if ('controllerAddress' in ev) {
      who = ` by ${ev.controllerAddress}`;
    }
    return `${call} ${ev.type}${who} ${causes} ${parties}`;
  });
}

/** seq never skips nor repeats: every event arrives once, in order. */
function expectEachOnceInOrder(seen: CallEvent[]): void {
  const seqs = seen.map((e) => e.seq);
  expect(seqs, 'gapless and each once').toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
}

/** After the call: JTAPI keeps the objects, INVALID and DISCONNECTED (§2.4). */
function expectAllEnded(seen: CallEvent[]): void {
  const calls = new Set(seen.map((e) => e.call));
  for (const call of calls) {
    expect(call.state).toBe('INVALID');
    expect(call.connections.length).toBeGreaterThan(0);
    for (const connection of call.connections) expect(connection.state).toBe('DISCONNECTED');
  }
}

const talking = (seen: CallEvent[], terminal: string) => (): boolean =>
  seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === terminal);

/** The basic call up to both sides talking (§2.7 steps 1–3), as the observer of 7002 sees it. */
const answered = [
  // Step 1: the caller appears as an already-connected originating connection; its phone is in the
  // domain too, so its terminal connection is reported.
  'c1 CallActiveEv 100/-/0 7001>7002',
  'c1 ConnCreatedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
  'c1 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
  'c1 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
  'c1 TermConnCreatedEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
  'c1 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
  'c1 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
  'c1 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7001>7002',
  'c1 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
  'c1 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
  'c1 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7001>7002',
  'c1 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
  'c1 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
  'c1 ConnConnectedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
  'c1 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
  'c1 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
  'c1 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
];

describe('§2.7 event sequences through the SDK against a live server with SIP phones', () => {
  it('basic call answered, then released by the caller: its side disconnects first (§2.7 step 4)', async () => {
    const a = await phone('7001');
    await phone('7002');
    const { seen } = await observe(['7002']);
    const call = await a.call('7002');
    await waitUntil(talking(seen, 'SEP000000007002'), 5000);
    await call.hangUp();
    await untilObservationEnded(seen, 1);
    expect(rows(seen)).toEqual([
      ...answered,
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallInvalidEv 100/-/16 7001>7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  it('basic call answered, then released by the callee: the callee’s side disconnects first', async () => {
    const a = await phone('7001');
    const b = await phone('7002');
    const { seen } = await observe(['7002']);
    const call = await a.call('7002');
    await waitUntil(talking(seen, 'SEP000000007002'), 5000);
    await (await answeredOn(b, 1)).hangUp();
    await waitUntil(() => call.ended, 5000);
    await untilObservationEnded(seen, 1);
    expect(rows(seen)).toEqual([
      ...answered,
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002',
      'c1 CallInvalidEv 100/-/16 7001>7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  it('busy: the called phone answers 486, its connection FAILS with BUSY and Cisco cause 17 (user busy)', async () => {
    const a = await phone('7001');
    const b = await phone('7002');
    b.incoming = { refuse: 486 };
    const { seen } = await observe(['7002']);
    await expect(a.call('7002')).rejects.toThrow(/486/);
    await untilObservationEnded(seen, 1);
    expect(rows(seen)).toEqual([
      'c1 CallActiveEv 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7001>7002',
      'c1 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7001>7002',
      'c1 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/203/17 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/203/17 7001>7002',
      'c1 ConnFailedEv 7002 FAILED/FAILED r=1 100/203/17 7001>7002',
      'c1 CallCtlConnFailedEv 7002 FAILED/FAILED r=1 100/203/17 7001>7002',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/203/17 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/203/17 7001>7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/203/17 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/203/17 7001>7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/203/17 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/203/17 7001>7002',
      'c1 CallInvalidEv 100/203/17 7001>7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  it('no answer → forward: the first called connection leaves REDIRECTED, the target arrives FORWARDNOANSWER with the last redirected address', async () => {
    const a = await phone('7001');
    const b = await phone('7002');
    await phone('7003');
    b.incoming = 'ring';
    const { seen } = await observe(['7002']);
    const call = await a.call('7002');
    await waitUntil(talking(seen, 'SEP000000007003'), 5000);
    await call.hangUp();
    await untilObservationEnded(seen, 1);
    expect(rows(seen)).toEqual([
      'c1 CallActiveEv 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7001>7002',
      'c1 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7001>7002',
      'c1 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/210/19 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/210/19 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/210/19 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/210/19 7001>7002 lr=7002',
      'c1 ConnCreatedEv 7003 IDLE/IDLE r=3 100/-/0 7001>7002 lr=7002',
      'c1 ConnAlertingEv 7003 ALERTING/ALERTING r=3 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlConnAlertingEv 7003 ALERTING/ALERTING r=3 100/-/0 7001>7002 lr=7002',
      'c1 TermConnCreatedEv SEP000000007003 IDLE/IDLE 100/-/0 7001>7002 lr=7002',
      'c1 TermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlTermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7001>7002 lr=7002',
      'c1 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=3 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=3 100/-/0 7001>7002 lr=7002',
      'c1 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/-/0 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=3 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=3 100/-/16 7001>7002 lr=7002',
      'c1 CallInvalidEv 100/-/16 7001>7002 lr=7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002 lr=7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
    expect(seen[0]!.call.lastRedirectedAddress?.name).toBe('7002');
  });

  it('blind transfer: TransferStart, the transferring side leaves with TRANSFER, the target arrives TRANSFERREDCALL, TransferEnd', async () => {
    const a = await phone('7001');
    const b = await phone('7002');
    const c = await phone('7003');
    const { seen } = await observe(['7002']);
    const call = await a.call('7002');
    await waitUntil(talking(seen, 'SEP000000007002'), 5000);
    const bCall = await answeredOn(b, 1);
    expect((await bCall.refer('7003')).status).toBe(202);
    const cCall = await answeredOn(c, 1);
    await waitUntil(talking(seen, 'SEP000000007003'), 5000);
    await waitUntil(() => bCall.ended, 5000);
    await cCall.hangUp();
    await waitUntil(() => call.ended, 5000);
    await untilObservationEnded(seen, 1);
    expect(rows(seen)).toEqual([
      ...answered,
      'c1 CiscoTransferStartEv by 7002 100/-/0 7001>7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7001>7002 lr=7002',
      'c1 ConnCreatedEv 7003 IDLE/IDLE r=2 100/-/0 7001>7002 lr=7002',
      'c1 ConnAlertingEv 7003 ALERTING/ALERTING r=2 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlConnAlertingEv 7003 ALERTING/ALERTING r=2 100/-/0 7001>7002 lr=7002',
      'c1 TermConnCreatedEv SEP000000007003 IDLE/IDLE 100/-/0 7001>7002 lr=7002',
      'c1 TermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlTermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7001>7002 lr=7002',
      'c1 CiscoTransferEndEv by 7002 100/-/0 7001>7002 lr=7002',
      'c1 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=2 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=2 100/-/0 7001>7002 lr=7002',
      'c1 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/-/0 7001>7002 lr=7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/-/0 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=2 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=2 100/-/16 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 CallInvalidEv 100/-/16 7001>7002 lr=7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002 lr=7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  /** B holds A, consults C, and REFERs A with Replaces (attended transfer). */
  async function consultTransfer(): Promise<CallEvent[]> {
    const a = await phone('7001');
    const b = await phone('7002');
    const c = await phone('7003');
    const { seen } = await observe(['7002']);
    const first = await a.call('7002');
    const bFirst = await answeredOn(b, 1);
    expect((await bFirst.hold()).status).toBe(200);
    const consult = await b.call('7003');
    await answeredOn(c, 1);
    expect((await bFirst.refer(consult)).status).toBe(202);
    await waitUntil(() => bFirst.notifies.length === 2, 5000);
    // B hangs up as a phone does after a transfer; the server may have ended its dialogs already.
    if (!bFirst.ended) await bFirst.hangUp();
    await waitUntil(() => consult.ended, 2000);
    if (!consult.ended) await consult.hangUp();
    await first.hangUp();
    await untilObservationEnded(seen, 2);
    return seen;
  }

  it('consult transfer: TransferStart to both calls, the consult call ends INVALID with TRANSFER, C moves into the first call as TRANSFERREDCALL', async () => {
    const seen = await consultTransfer();
    expect(rows(seen)).toEqual([
      'c1 CallActiveEv 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7001>7002',
      'c1 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7001>7002',
      'c1 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnHeldEv SEP000000007002 ACTIVE/HELD 100/-/0 7001>7002',
      'c2 CallActiveEv 100/-/0 7002>7003',
      'c2 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7002>7003',
      'c2 ConnConnectedEv 7002 CONNECTED/INITIATED r=1 100/-/0 7002>7003',
      'c2 CallCtlConnInitiatedEv 7002 CONNECTED/INITIATED r=1 100/-/0 7002>7003',
      'c2 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7002>7003',
      'c2 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7002>7003',
      'c2 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7002>7003',
      'c2 CallCtlConnDialingEv 7002 CONNECTED/DIALING r=1 100/-/0 7002>7003',
      'c2 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7003',
      'c2 ConnCreatedEv 7003 IDLE/IDLE r=1 100/-/0 7002>7003',
      'c2 ConnAlertingEv 7003 ALERTING/ALERTING r=1 100/-/0 7002>7003',
      'c2 CallCtlConnAlertingEv 7003 ALERTING/ALERTING r=1 100/-/0 7002>7003',
      'c2 TermConnCreatedEv SEP000000007003 IDLE/IDLE 100/-/0 7002>7003',
      'c2 TermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7002>7003',
      'c2 CallCtlTermConnRingingEv SEP000000007003 RINGING/RINGING 100/-/0 7002>7003',
      'c2 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7003',
      'c2 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7003',
      'c2 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/-/0 7002>7003',
      'c2 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/-/0 7002>7003',
      'c1 CiscoTransferStartEv by 7002 100/-/0 7001>7002',
      'c2 CiscoTransferStartEv by 7002 100/-/0 7002>7003',
      'c2 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7002>7003',
      'c2 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7002>7003',
      'c2 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7002>7003',
      'c2 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7002>7003',
      'c2 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/212/501 7002>7003',
      'c2 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/212/501 7002>7003',
      'c2 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/212/501 7002>7003',
      'c2 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/212/501 7002>7003',
      'c2 CallInvalidEv 100/212/501 7002>7003',
      'c1 ConnCreatedEv 7003 IDLE/IDLE r=2 100/-/0 7001>7002 lr=7002',
      'c1 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=2 100/212/503 7001>7002 lr=7002',
      'c1 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=2 100/212/503 7001>7002 lr=7002',
      'c1 TermConnCreatedEv SEP000000007003 IDLE/IDLE 100/-/0 7001>7002 lr=7002',
      'c1 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/212/503 7001>7002 lr=7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/212/503 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/212/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/212/16 7001>7002 lr=7002',
      'c1 CiscoTransferEndEv by 7002 100/-/0 7001>7002 lr=7002',
      'c2 CiscoTransferEndEv by 7002 100/-/0 7002>7003',
      'c2 CallObservationEndedEv 100/-/0 7002>7003',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7001>7002 lr=7002',
      'c1 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7001>7002 lr=7002',
      'c1 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=2 100/-/16 7001>7002 lr=7002',
      'c1 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=2 100/-/16 7001>7002 lr=7002',
      'c1 CallInvalidEv 100/-/16 7001>7002 lr=7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002 lr=7002',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  // The engine ends a merged call (INVALID) before the merge's end event; the CTI server keeps
  // observing it until that end event, so the observer still gets it, then CallObservationEndedEv.
  it('consult transfer: the consult call’s observer gets CiscoTransferEndEv before CallObservationEndedEv', async () => {
    const seen = await consultTransfer();
    expectEndBeforeObservationEnded(seen, 'CiscoTransferStartEv', 'CiscoTransferEndEv');
  });

  /** B, talking with A and with C, calls the conference number and REFERs both calls to the focus. */
  async function conference(): Promise<CallEvent[]> {
    const a = await phone('7001');
    const b = await phone('7002');
    const c = await phone('7003');
    const { seen } = await observe(['7002']);
    const fromA = await a.call('7002');
    const bWithA = await answeredOn(b, 1);
    const fromC = await c.call('7002');
    const bWithC = await answeredOn(b, 2);
    const focus = await b.call('7900');
    for (const other of [bWithA, bWithC]) expect((await focus.refer(other)).status).toBe(202);
    await waitUntil(() => focus.notifies.length === 4, 5000);
    await focus.hangUp();
    await fromA.hangUp();
    await waitUntil(() => fromC.ended, 5000);
    if (!fromC.ended) await fromC.hangUp();
    await untilObservationEnded(seen, 3);
    return seen;
  }

  it('conference: ConferenceStart/End around each call brought into the bridge, which leaves with CONFERENCE; its parties arrive in the conference call', async () => {
    const seen = await conference();
    expect(rows(seen)).toEqual([
      'c1 CallActiveEv 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7001>7002',
      'c1 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7001>7002',
      'c1 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7001>7002',
      'c1 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7001>7002',
      'c1 ConnConnectedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7001>7002',
      'c1 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
      'c1 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7001>7002',
      'c2 CallActiveEv 100/-/0 7003>7002',
      'c2 ConnCreatedEv 7003 CONNECTED/ESTABLISHED r=1 100/-/0 7003>7002',
      'c2 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=1 100/-/0 7003>7002',
      'c2 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=1 100/-/0 7003>7002',
      'c2 TermConnCreatedEv SEP000000007003 ACTIVE/TALKING 100/-/0 7003>7002',
      'c2 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/-/0 7003>7002',
      'c2 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/-/0 7003>7002',
      'c2 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7003>7002',
      'c2 ConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7003>7002',
      'c2 CallCtlConnAlertingEv 7002 ALERTING/ALERTING r=1 100/-/0 7003>7002',
      'c2 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7003>7002',
      'c2 TermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7003>7002',
      'c2 CallCtlTermConnRingingEv SEP000000007002 RINGING/RINGING 100/-/0 7003>7002',
      'c2 ConnConnectedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7003>7002',
      'c2 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7003>7002',
      'c2 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7003>7002',
      'c2 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7003>7002',
      'c3 CallActiveEv 100/-/0 7002>7900',
      'c3 ConnCreatedEv 7002 IDLE/IDLE r=1 100/-/0 7002>7900',
      'c3 ConnConnectedEv 7002 CONNECTED/INITIATED r=1 100/-/0 7002>7900',
      'c3 CallCtlConnInitiatedEv 7002 CONNECTED/INITIATED r=1 100/-/0 7002>7900',
      'c3 TermConnCreatedEv SEP000000007002 IDLE/IDLE 100/-/0 7002>7900',
      'c3 TermConnActiveEv SEP000000007002 ACTIVE/TALKING 100/-/0 7002>7900',
      'c3 CallCtlTermConnTalkingEv SEP000000007002 ACTIVE/TALKING 100/-/0 7002>7900',
      'c3 CallCtlConnDialingEv 7002 CONNECTED/DIALING r=1 100/-/0 7002>7900',
      'c3 CallCtlConnEstablishedEv 7002 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7900',
      'c3 ConnCreatedEv 7900 IDLE/IDLE r=1 100/-/0 7002>7900',
      'c3 ConnConnectedEv 7900 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7900',
      'c3 CallCtlConnEstablishedEv 7900 CONNECTED/ESTABLISHED r=1 100/-/0 7002>7900',
      'c3 CiscoConferenceStartEv by 7002 100/-/0 7002>7900',
      'c1 CiscoConferenceStartEv by 7002 100/-/0 7001>7002',
      'c1 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/207/16 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/207/16 7001>7002',
      'c1 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/207/16 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/207/16 7001>7002',
      'c1 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/207/502 7001>7002',
      'c1 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/207/502 7001>7002',
      'c1 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/207/502 7001>7002',
      'c1 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/207/502 7001>7002',
      'c1 CallInvalidEv 100/207/502 7001>7002',
      'c3 ConnCreatedEv 7001 IDLE/IDLE r=1 100/-/0 7002>7900',
      'c3 ConnConnectedEv 7001 CONNECTED/ESTABLISHED r=1 100/207/504 7002>7900',
      'c3 CallCtlConnEstablishedEv 7001 CONNECTED/ESTABLISHED r=1 100/207/504 7002>7900',
      'c3 TermConnCreatedEv SEP000000007001 IDLE/IDLE 100/-/0 7002>7900',
      'c3 TermConnActiveEv SEP000000007001 ACTIVE/TALKING 100/207/504 7002>7900',
      'c3 CallCtlTermConnTalkingEv SEP000000007001 ACTIVE/TALKING 100/207/504 7002>7900',
      'c3 CiscoConferenceEndEv by 7002 100/-/0 7002>7900',
      'c1 CiscoConferenceEndEv by 7002 100/-/0 7001>7002',
      'c1 CallObservationEndedEv 100/-/0 7001>7002',
      'c3 CiscoConferenceStartEv by 7002 100/-/0 7002>7900',
      'c2 CiscoConferenceStartEv by 7002 100/-/0 7003>7002',
      'c2 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/207/16 7003>7002',
      'c2 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/207/16 7003>7002',
      'c2 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/207/16 7003>7002',
      'c2 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/207/16 7003>7002',
      'c2 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/207/502 7003>7002',
      'c2 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/207/502 7003>7002',
      'c2 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/207/502 7003>7002',
      'c2 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/207/502 7003>7002',
      'c2 CallInvalidEv 100/207/502 7003>7002',
      'c3 ConnCreatedEv 7003 IDLE/IDLE r=1 100/-/0 7002>7900',
      'c3 ConnConnectedEv 7003 CONNECTED/ESTABLISHED r=1 100/207/504 7002>7900',
      'c3 CallCtlConnEstablishedEv 7003 CONNECTED/ESTABLISHED r=1 100/207/504 7002>7900',
      'c3 TermConnCreatedEv SEP000000007003 IDLE/IDLE 100/-/0 7002>7900',
      'c3 TermConnActiveEv SEP000000007003 ACTIVE/TALKING 100/207/504 7002>7900',
      'c3 CallCtlTermConnTalkingEv SEP000000007003 ACTIVE/TALKING 100/207/504 7002>7900',
      'c3 CiscoConferenceEndEv by 7002 100/-/0 7002>7900',
      'c2 CiscoConferenceEndEv by 7002 100/-/0 7003>7002',
      'c2 CallObservationEndedEv 100/-/0 7003>7002',
      'c3 TermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 CallCtlTermConnDroppedEv SEP000000007002 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 ConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 CallCtlConnDisconnectedEv 7002 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 TermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 CallCtlTermConnDroppedEv SEP000000007001 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 ConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 CallCtlConnDisconnectedEv 7001 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 ConnDisconnectedEv 7900 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 CallCtlConnDisconnectedEv 7900 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 TermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 CallCtlTermConnDroppedEv SEP000000007003 DROPPED/DROPPED 100/-/16 7002>7900',
      'c3 ConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 CallCtlConnDisconnectedEv 7003 DISCONNECTED/DISCONNECTED r=1 100/-/16 7002>7900',
      'c3 CallInvalidEv 100/-/16 7002>7900',
      'c3 CallObservationEndedEv 100/-/0 7002>7900',
    ]);
    expectEachOnceInOrder(seen);
    expectAllEnded(seen);
  });

  it('conference: the observer of each merged call gets CiscoConferenceEndEv before CallObservationEndedEv', async () => {
    const seen = await conference();
    expectEndBeforeObservationEnded(seen, 'CiscoConferenceStartEv', 'CiscoConferenceEndEv');
  });
});

/** Every call that saw `start` also sees `end`, before its CallObservationEndedEv. */
function expectEndBeforeObservationEnded(seen: CallEvent[], start: CallEvent['type'], end: CallEvent['type']): void {
  const started = new Set(seen.filter((e) => e.type === start).map((e) => e.callId));
  expect(started.size).toBeGreaterThan(0);
  for (const callId of started) {
    const types = seen.filter((e) => e.callId === callId).map((e) => e.type);
    expect(types.lastIndexOf(end), `${end} of ${callId}`).toBeGreaterThan(-1);
    expect(types.lastIndexOf(end), `${end} of ${callId}`).toBeLessThan(types.indexOf('CallObservationEndedEv'));
  }
}
