import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallView } from '../../src/admin/index.js';
import { formatCallTable } from '../../src/server/commands/calls.js';
import { callRecordCsvColumns } from '../../src/store/index.js';
import type { CallRecord } from '../../src/switch/index.js';
import { freeUdpPort, requireSipp, runSipp, waitForUdpListener, type SippRun } from '../support/sipp.js';
import { expectNoCallLeft, expectNoTransactionLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Phone-to-phone calls through the B2BUA, with SIPp playing both phones: the caller authenticates its
// INVITE with digest, the called phone is registered with a Contact where a SIPp UAS answers.
const config = `
settings: { sipRealm: strowger, voicemailPilot: '2003' }
lines:
  - { dn: '2001' }
  - { dn: '2002', forward: { noAnswer: { destination: '2003' }, noAnswerSeconds: 2 } }
  - { dn: '2003' }
  - { dn: '2004', forward: { unregistered: { destination: '2003' } } }
  - { dn: '2005' }
  - { dn: '2006' }
  - { dn: '2007', forward: { all: { voicemail: true } } }
lineGroups:
  - { name: desk, algorithm: top-down, rnaTimeoutSeconds: 1, members: ['2002', '2003'] }
huntLists:
  - { name: desk, lineGroups: [desk] }
huntPilots:
  - { pattern: '2100', huntList: desk }
devices:
${phoneDevices(['2001', '2002', '2003', '2004', '2005', '2006'])}
`;

let server: TestServer;
const records: CallRecord[] = [];
/** 200 responses to INVITE the server sent, per Call-ID. */
const okSent = new Map<string, number>();
/** The sipfrag bodies of the NOTIFYs the server sent, in order: how transfers were reported. */
const notifiesSent: string[] = [];

beforeAll(async () => {
  requireSipp();
  server = await startTestServer({
    config,
    // T1 of 100 ms (RFC 3261 allows a smaller T1 on a LAN) and a short Timer D: completed
    // transactions live at most 6.4 s, so the suite can wait for every one of them to end.
    sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 },
    callRecords: { write: (record) => records.push(record) },
    sipObserver: {
      messageSent: (message) => {
        if (message.kind === 'response' && message.status === 200 && message.cseq.method === 'INVITE') {
          okSent.set(message.callId, (okSent.get(message.callId) ?? 0) + 1);
        }
        if (message.kind === 'request' && message.method === 'NOTIFY') {
          notifiesSent.push(Buffer.from(message.body).toString('utf8').trim());
        }
      },
    },
  });
}, 60_000);

afterAll(async () => {
  // Every SIP transaction of every call has ended: nothing is left behind in the stack either.
  await expectNoTransactionLeft(server);
  await server?.stop();
}, 20_000);

// After every call: nothing is left in the engine, the SIP driver or the media resources.
afterEach(() => expectNoCallLeft(server));

function explain(run: SippRun): string {
  return `sipp exited ${run.code}\n${run.errors}\n${run.output.slice(-3000)}`;
}

/**
 * Starts a SIPp UAS playing phone `dn` and registers it there. The UAS run comes back wrapped: an async
 * function returning a bare promise would wait for it.
 */
async function phoneAnswering(
  dn: string,
  scenario: string,
  keys: Record<string, string> = {},
): Promise<{ finished: Promise<SippRun> }> {
  const port = await freeUdpPort();
  const uas = runSipp({
    scenario,
    keys,
    port: server.sipPort,
    transport: 'udp',
    localPort: port,
    timeoutSeconds: 15,
    // STROWGER_TEST_TRACE=1 also keeps each called phone's SIP messages, in the system's temporary directory.
    extra:
      process.env.STROWGER_TEST_TRACE === undefined
        ? []
        : ['-trace_msg', '-message_file', join(tmpdir(), `strowger-uas-${port}-messages.log`)],
  });
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

function call(scenario: string, from: string, dial: string, talkMs = 300): Promise<SippRun> {
  return runSipp({
    extra: ['-d', String(talkMs)],
    scenario,
    port: server.sipPort,
    transport: 'udp',
    service: from,
    username: from,
    password: `pw-${from}`,
    keys: { dial },
    timeoutSeconds: 15,
  });
}

async function unregister(dn: string): Promise<void> {
  const run = await runSipp({
    scenario: 'uac-register-then-unregister.xml',
    port: server.sipPort,
    transport: 'udp',
    service: dn,
    username: dn,
    password: `pw-${dn}`,
  });
  expect(run.code, explain(run)).toBe(0);
}

describe('calls between SIPp phones', () => {
  it('basic call: the caller hears ringing, is answered with SDP, and hangs up', async () => {
    const callee = await phoneAnswering('2002', 'uas-answer-wait-for-bye.xml');
    const caller = await call('uac-call-caller-hangs-up.xml', '2001', '2002');
    expect(caller.code, explain(caller)).toBe(0);
    const answered = await callee.finished;
    expect(answered.code, explain(answered)).toBe(0);
    await waitUntil(() => records.length > 0);
    expect(records.at(-1)).toMatchObject({
      callingNumber: '2001',
      callingDevice: 'SEP000000002001',
      dialledNumber: '2002',
      finalCalledNumber: '2002',
      calledDevice: 'SEP000000002002',
      releasedBy: 'caller',
    });
    expect(records.at(-1)?.answeredAt).toBeDefined();
  });

  it('a call in progress is listed by GET /api/v1/calls and "strowger calls" with its JTAPI states', async () => {
    const callee = await phoneAnswering('2002', 'uas-answer-wait-for-bye.xml');
    const caller = call('uac-call-caller-hangs-up.xml', '2001', '2002', 2000);
    let listed: CallView[] = [];
    await waitUntil(
      () => listed.some((c) => c.answeredAt !== undefined),
      4000,
      async () => {
        listed = ((await (await server.fetchApi(`/api/v1/calls?dn=2002`)).json()) as { calls: CallView[] }).calls;
      },
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]?.connections).toMatchObject([
      {
        address: '2001',
        role: 'originating',
        state: 'ESTABLISHED',
        terminalConnections: [{ terminal: 'SEP000000002001', state: 'TALKING' }],
      },
      {
        address: '2002',
        role: 'terminating',
        state: 'ESTABLISHED',
        terminalConnections: [{ terminal: 'SEP000000002002', state: 'TALKING' }],
      },
    ]);
    const table = formatCallTable(listed, Date.now());
    expect(table).toMatch(/2001\s+from\s+ESTABLISHED\s+SEP000000002001 TALKING/);
    expect(table).toMatch(/2002\s+to\s+ESTABLISHED\s+SEP000000002002 TALKING/);
    expect((await caller).code).toBe(0);
    expect((await callee.finished).code).toBe(0);
    const after = (await (await server.fetchApi(`/api/v1/calls`)).json()) as { calls: CallView[] };
    expect(after.calls).toEqual([]);
  });

  it('/metrics counts ended call legs by cause and shows the calls in progress', async () => {
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^strowger_call_legs_total\{cause="normal"\} [1-9]/m);
    expect(text).toMatch(/^strowger_calls_active 0$/m);
    expect(text).toMatch(/^strowger_media_endpoints 0$/m);
  });

  it('finished calls are stored as call detail records, served as CSV by GET /api/v1/call-records', async () => {
    const response = await server.fetchApi(`/api/v1/call-records?format=csv`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await response.text()).trim().split('\r\n');
    expect(rows[0]).toBe(callRecordCsvColumns.join(','));
    // The basic call above: answered, released by the caller, a normal clearing.
    expect(
      rows.some((row) => /,2001,SEP000000002001,2002,2002,2002,SEP000000002002,.*,normal,16,200,caller,$/.test(row)),
    ).toBe(true);
    const bad = await server.fetchApi(`/api/v1/call-records?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/since "yesterday" is not an ISO 8601 time/);
  });

  it('hold and resume: re-INVITEs pass to the other phone, and the holding phone shows HELD meanwhile', async () => {
    const callee = await phoneAnswering('2002', 'uas-answer-hold-resume.xml');
    const caller = call('uac-call-hold-resume.xml', '2001', '2002', 1500);
    let held = false;
    await waitUntil(
      () => held,
      6000,
      async () => {
        const { calls } = (await (await server.fetchApi(`/api/v1/calls?dn=2001`)).json()) as {
          calls: CallView[];
        };
        held = calls[0]?.connections[0]?.terminalConnections[0]?.state === 'HELD';
      },
    );
    expect(held, "the caller's terminal connection showed HELD while on hold").toBe(true);
    const run = await caller;
    expect(run.code, explain(run)).toBe(0);
    expect((await callee.finished).code).toBe(0);
  });

  it('a caller slow to ACK gets the 200 again until its ACK arrives (RFC 3261 §13.3.1.4), and the call goes on', async () => {
    const callee = await phoneAnswering('2002', 'uas-answer-wait-for-bye.xml');
    const before = new Set(okSent.keys());
    const run = await call('uac-call-late-ack.xml', '2001', '2002');
    expect(run.code, explain(run)).toBe(0);
    expect((await callee.finished).code).toBe(0);
    // The caller's dialog is the one with a Call-ID SIPp made (…@127.0.0.1); with T1 = 100 ms the 200
    // goes out at 0, 0.1, 0.3, 0.7 and 1.1 s (then every T2) before the ACK at 1.6 s.
    const callerOks = [...okSent.entries()].filter(([callId]) => !before.has(callId) && callId.endsWith('@127.0.0.1'));
    expect(callerOks).toHaveLength(1);
    expect(callerOks[0]?.[1]).toBeGreaterThanOrEqual(3);
  });

  it('the called phone hangs up: the caller gets BYE', async () => {
    const callee = await phoneAnswering('2002', 'uas-answer-then-hang-up.xml');
    const caller = await call('uac-call-callee-hangs-up.xml', '2001', '2002');
    expect(caller.code, explain(caller)).toBe(0);
    expect((await callee.finished).code).toBe(0);
    await waitUntil(() => records.at(-1)?.releasedBy === 'callee');
    expect(records.at(-1)).toMatchObject({ releasedBy: 'callee', calledDevice: 'SEP000000002002' });
  });

  it('the caller cancels before answer: the called phone gets CANCEL, the caller 487', async () => {
    const callee = await phoneAnswering('2006', 'uas-ring-until-cancel.xml');
    const caller = await call('uac-call-cancel-before-answer.xml', '2001', '2006');
    expect(caller.code, explain(caller)).toBe(0);
    expect((await callee.finished).code).toBe(0);
    await waitUntil(() => records.at(-1)?.dialledNumber === '2006');
    expect(records.at(-1)).toMatchObject({ answeredAt: undefined, releasedBy: 'caller' });
  });

  it('the called phone is busy: the caller gets 486', async () => {
    const callee = await phoneAnswering('2006', 'uas-busy.xml');
    const caller = await call('uac-call-refused-486.xml', '2001', '2006');
    expect(caller.code, explain(caller)).toBe(0);
    expect((await callee.finished).code).toBe(0);
  });

  it('an unknown number gets 404', async () => {
    const caller = await call('uac-call-refused-404.xml', '2001', '4711');
    expect(caller.code, explain(caller)).toBe(0);
  });

  it('an unregistered phone without forwarding gets 480', async () => {
    await unregister('2005');
    const caller = await call('uac-call-refused-480.xml', '2001', '2005');
    expect(caller.code, explain(caller)).toBe(0);
  });

  it("no answer: the call is forwarded after the line's timer, with a Diversion header", async () => {
    const first = await phoneAnswering('2002', 'uas-ring-until-cancel.xml');
    const second = await phoneAnswering('2003', 'uas-answer-forwarded-call.xml');
    const caller = await call('uac-call-caller-hangs-up.xml', '2001', '2002');
    expect(caller.code, explain(caller)).toBe(0);
    const cancelled = await first.finished;
    expect(cancelled.code, explain(cancelled)).toBe(0);
    const answered = await second.finished;
    expect(answered.code, explain(answered)).toBe(0);
    await waitUntil(() => records.at(-1)?.finalCalledNumber === '2003');
    expect(records.at(-1)).toMatchObject({
      originalCalledNumber: '2002',
      finalCalledNumber: '2003',
      calledDevice: 'SEP000000002003',
      redirections: [{ from: '2002', to: '2003', reason: 'forward-no-answer' }],
    });
  });

  it('forward to voicemail reaches the voicemail pilot with the original called number in Diversion', async () => {
    const voicemail = await phoneAnswering('2003', 'uas-answer-forwarded-call.xml');
    const caller = await call('uac-call-caller-hangs-up.xml', '2001', '2007');
    expect(caller.code, explain(caller)).toBe(0);
    expect((await voicemail.finished).code).toBe(0);
    await waitUntil(() => records.at(-1)?.dialledNumber === '2007');
    expect(records.at(-1)).toMatchObject({
      originalCalledNumber: '2007',
      finalCalledNumber: '2003',
      redirections: [{ from: '2007', to: '2003', reason: 'forward-all' }],
    });
  });

  it("unregistered: the call is forwarded to the line's unregistered target", async () => {
    const target = await phoneAnswering('2003', 'uas-answer-forwarded-call.xml');
    const caller = await call('uac-call-caller-hangs-up.xml', '2001', '2004');
    expect(caller.code, explain(caller)).toBe(0);
    expect((await target.finished).code).toBe(0);
    await waitUntil(() => records.at(-1)?.dialledNumber === '2004');
    expect(records.at(-1)?.redirections).toEqual([{ from: '2004', to: '2003', reason: 'forward-unregistered' }]);
  });

  it('blind transfer: the called phone REFERs the caller to a third phone, which the caller then talks to', async () => {
    notifiesSent.length = 0;
    const target = await phoneAnswering('2003', 'uas-answer-offerless-invite.xml');
    const transferor = await phoneAnswering('2002', 'uas-answer-then-transfer.xml', {
      transfer_to: '2003',
      transfer_result: '200',
    });
    const caller = await call('uac-call-transferred.xml', '2001', '2002', 500);
    expect(caller.code, explain(caller)).toBe(0);
    const referred = await transferor.finished;
    expect(referred.code, explain(referred)).toBe(0);
    const reached = await target.finished;
    expect(reached.code, explain(reached)).toBe(0);
    expect(notifiesSent).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    await waitUntil(() => records.at(-1)?.finalCalledNumber === '2003' && records.at(-1)?.dialledNumber === '2002');
    // One record per leg: 2001 with 2002 until the transfer, then 2001 with 2003.
    expect(records.slice(-2)).toMatchObject([
      { callingNumber: '2001', finalCalledNumber: '2002', cause: { reason: 'transferred' }, releasedBy: 'callee' },
      {
        callingNumber: '2001',
        finalCalledNumber: '2003',
        calledDevice: 'SEP000000002003',
        releasedBy: 'caller',
        redirections: [{ from: '2002', to: '2003', reason: 'transfer' }],
      },
    ]);
  });

  it('a blind transfer to an unknown number fails with NOTIFY 404, and the call goes on', async () => {
    notifiesSent.length = 0;
    const transferor = await phoneAnswering('2002', 'uas-answer-then-transfer.xml', {
      transfer_to: '4711',
      transfer_result: '404',
    });
    const caller = await call('uac-call-callee-hangs-up.xml', '2001', '2002');
    expect(caller.code, explain(caller)).toBe(0);
    const referred = await transferor.finished;
    expect(referred.code, explain(referred)).toBe(0);
    expect(notifiesSent).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 404 Not Found']);
    await waitUntil(() => records.at(-1)?.releasedBy === 'callee' && records.at(-1)?.dialledNumber === '2002');
    expect(records.at(-1)).toMatchObject({ cause: { reason: 'normal' }, redirections: [] });
  });

  it('a hunt pilot rings its line group top down: the first member rings for the RNA timeout, the next answers', async () => {
    const first = await phoneAnswering('2002', 'uas-ring-until-cancel.xml');
    const second = await phoneAnswering('2003', 'uas-answer-wait-for-bye.xml');
    const caller = await call('uac-call-caller-hangs-up.xml', '2001', '2100');
    expect(caller.code, explain(caller)).toBe(0);
    const cancelled = await first.finished;
    expect(cancelled.code, explain(cancelled)).toBe(0);
    const answered = await second.finished;
    expect(answered.code, explain(answered)).toBe(0);
    await waitUntil(() => records.at(-1)?.dialledNumber === '2100');
    expect(records.at(-1)).toMatchObject({ dialledNumber: '2100', calledDevice: 'SEP000000002003', redirections: [] });
  });
});
