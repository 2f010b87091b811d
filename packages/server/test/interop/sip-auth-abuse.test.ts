import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipResponse } from '../../src/sip/index.js';
import { phoneDevices, waitUntil } from '../support/leftovers.js';
import { RawSipPeer } from '../support/raw-sip.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone } from '../support/test-phone.js';

// Password guessing, challenge floods and the smaller SIP hardening items, against a live server.
// Guessers and floods come from their own loopback addresses (127.0.0.x stands in for another
// machine), so the real phones on 127.0.0.1 show what a guesser elsewhere leaves them.
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '4004' }
  - { dn: '4005' }
  - { dn: '4101', maxCalls: 1, busyTrigger: 1 }
  - { dn: '4102' }
  - { dn: '4006' }
devices:
${phoneDevices(['4004', '4006', '4101', '4102'])}
  - { name: SEP000000004005, type: sip-phone, lines: ['4005'], sip: { username: '4005', password: '0150' } }
`;

let server: TestServer;
const peers: RawSipPeer[] = [];
const phones: TestPhone[] = [];

beforeAll(async () => {
  server = await startTestServer({
    config,
    sipTimers: { t1: 50, t2: 400, t4: 500, d: 3200 },
    sip: {
      sipServerHeader: '',
      // One lock-out lasts longer than this file runs, so what is checked is a count, not a rate.
      sipLoginThrottle: { firstLockoutMs: 600_000, maxLockoutMs: 600_000 },
      // A burst large enough for the guessers below, and (nearly) no refill, so the flood test counts.
      sipChallengeLimit: { burst: 400, perSecond: 0.001 },
    },
  });
}, 120_000);

afterAll(async () => {
  for (const peer of peers) peer.close();
  await Promise.all(phones.map((phone) => phone.close()));
  await server?.stop();
}, 30_000);

async function peer(address: string): Promise<RawSipPeer> {
  const opened = await RawSipPeer.open(server.sipPort, address);
  peers.push(opened);
  return opened;
}

async function metric(pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const match = pattern.exec(text);
  return match === null ? 0 : Number(match[1]);
}

const statusOf = (answer: SipResponse | 'no challenge') => (answer === 'no challenge' ? 0 : answer.status);

describe('password guessing', () => {
  it('a guesser gets five passwords checked, then 503 for every guess, the right one included', async () => {
    const phone = await TestPhone.start({ dn: '4004', password: 'pw-4004', serverPort: server.sipPort });
    phones.push(phone);
    const guesser = await peer('127.0.0.66');
    const statuses: number[] = [];
    for (let i = 1; i <= 200; i++) {
      const password = i === 100 ? 'pw-4004' : `guess-${i}`;
      statuses.push(statusOf(await guesser.login({ method: 'REGISTER', user: '4004', password })));
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5).every((status) => status === 503)).toBe(true);
    expect(statuses[99]).toBe(503);
    // The throttle's own count: one lock-out of the user, the rest refused unchecked.
    expect(await metric(/strowger_login_lockouts_total\{service="sip",scope="user"\} (\d+)/)).toBe(1);
    expect(await metric(/strowger_login_refused_total\{service="sip",scope="pair"\} (\d+)/)).toBeGreaterThanOrEqual(
      195,
    );
    expect(await metric(/strowger_login_locked\{service="sip",scope="user"\} (\d+)/)).toBe(1);

    // The phone that registered before, from its own address, still registers.
    await phone.register();
    // A phone never seen before is told to come back later, not told whether its password is right.
    const newcomer = await peer('127.0.0.2');
    const answer = await newcomer.login({ method: 'REGISTER', user: '4004', password: 'pw-4004' });
    expect(statusOf(answer)).toBe(503);
    expect(answer !== 'no challenge' && Number(answer.getHeader('Retry-After'))).toBeGreaterThan(0);
  }, 60_000);

  it('INVITE guesses are throttled under the same rules as REGISTER', async () => {
    const guesser = await peer('127.0.0.69');
    const statuses: number[] = [];
    for (let i = 1; i <= 20; i++) {
      statuses.push(
        statusOf(await guesser.login({ method: 'INVITE', user: '4006', password: `guess-${i}`, target: '4101' })),
      );
    }
    expect(statuses).toEqual([...Array<number>(5).fill(403), ...Array<number>(15).fill(503)]);
  }, 30_000);

  it('SIPVicious svcrack is stopped after five guesses and never finds the password', async () => {
    const before = await metric(/strowger_sip_register_requests_total\{outcome="rejected"\} (\d+)/);
    const run = await runSvcrack([
      '-u',
      '4005',
      '-r',
      '1-400',
      '-z',
      '4',
      '-b',
      '127.0.0.67',
      '-x',
      '127.0.0.67',
      '-p',
      String(server.sipPort),
      '127.0.0.1',
    ]);
    const after = await metric(/strowger_sip_register_requests_total\{outcome="rejected"\} (\d+)/);
    expect(after - before, run).toBe(5);
    expect(run).not.toMatch(/0150/);
    expect(await metric(/strowger_sip_register_requests_total\{outcome="registered"\} (\d+)/)).toBeGreaterThan(0);
  }, 90_000);
});

describe('stateless challenge (RFC 3261 §26.3.2.4)', () => {
  it('one INVITE MUST draw exactly one 407 and leave no transaction; a retransmission draws another', async () => {
    const caller = await peer('127.0.0.3');
    const invite = caller.request({ method: 'INVITE', user: '4101', target: '4102' });
    caller.send(invite.text);
    const challenge = await caller.next((r) => r.callId === invite.callId);
    expect(challenge?.status).toBe(407);
    const live = () => server.strowger.sip.ua.transactions.describeLive().filter((t) => t.callId === invite.callId);
    expect(live()).toEqual([]);
    // Twenty T1s: a stateful 407 would have been sent again five times by now (Timer G).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(caller.received.filter((r) => r.callId === invite.callId)).toEqual([]);

    caller.send(invite.text);
    const again = await caller.next((r) => r.callId === invite.callId);
    expect(again?.status).toBe(407);

    // The ACK to the 407 matches nothing and is absorbed: no answer, no transaction, no error.
    const ack = caller.request({
      method: 'ACK',
      user: '4101',
      target: '4102',
      callId: invite.callId,
      branch: invite.branch,
      toTag: again?.to.params.get('tag') ?? '',
    });
    caller.send(ack.text);
    const options = caller.request({ method: 'OPTIONS', user: '4101', target: '4102' });
    caller.send(options.text);
    expect((await caller.next((r) => r.callId === options.callId))?.status).toBe(200);
    expect(caller.received.filter((r) => r.callId === invite.callId)).toEqual([]);
    expect(live()).toEqual([]);
  });

  it('challenges over the per-source rate MUST be dropped unanswered, and other sources still served', async () => {
    const flood = await peer('127.0.0.68');
    for (let i = 0; i < 450; i++) flood.send(flood.request({ method: 'INVITE', user: '4101', target: '4102' }).text);
    await waitUntil(() => flood.received.length >= 400, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(flood.received.filter((r) => r.status === 407)).toHaveLength(400);
    expect(await metric(/strowger_sip_challenges_dropped_total (\d+)/)).toBeGreaterThanOrEqual(50);
    const other = await peer('127.0.0.5');
    const invite = other.request({ method: 'INVITE', user: '4101', target: '4102' });
    other.send(invite.text);
    expect((await other.next((r) => r.callId === invite.callId))?.status).toBe(407);
  }, 30_000);
});

describe('smaller hardening', () => {
  it('answers carry no Server header when it is configured empty', async () => {
    const probe = await peer('127.0.0.1');
    const options = probe.request({ method: 'OPTIONS', user: '4101', target: '4102' });
    probe.send(options.text);
    const answer = await probe.next((r) => r.callId === options.callId);
    expect(answer?.status).toBe(200);
    expect(answer?.getHeader('Server')).toBeUndefined();
  });

  it('a BYE outside any dialog MUST get 481 (§15.1.2), with a To tag or without', async () => {
    const probe = await peer('127.0.0.1');
    const withoutTag = probe.request({ method: 'BYE', user: '4101', target: '4102' });
    const withTag = probe.request({ method: 'BYE', user: '4101', target: '4102', toTag: 'nosuchdialog' });
    probe.send(withoutTag.text);
    probe.send(withTag.text);
    expect((await probe.next((r) => r.callId === withoutTag.callId))?.status).toBe(481);
    expect((await probe.next((r) => r.callId === withTag.callId))?.status).toBe(481);
  });

  it('a call over its line’s maximum MUST get 503 with a Warning and a Reason saying why', async () => {
    const caller = await TestPhone.start({ dn: '4101', password: 'pw-4101', serverPort: server.sipPort });
    const callee = await TestPhone.start({ dn: '4102', password: 'pw-4102', serverPort: server.sipPort });
    phones.push(caller, callee);
    const first = await caller.call('4102');
    const second = await (
      await peer('127.0.0.1')
    ).login({
      method: 'INVITE',
      user: '4101',
      password: 'pw-4101',
      target: '4102',
    });
    expect(statusOf(second)).toBe(503);
    if (second === 'no challenge') return;
    expect(second.getHeader('Warning')).toBe('399 127.0.0.1 "line 4101 is already in 1 call, its maximum"');
    expect(second.getHeader('Reason')).toBe('Q.850;cause=34;text="line 4101 is already in 1 call, its maximum"');
    await first.hangUp();
  }, 30_000);
});

/** Runs svcrack to its end (it stops by itself at an answer it does not expect) and returns its output. */
function runSvcrack(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('svcrack', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, 60_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
