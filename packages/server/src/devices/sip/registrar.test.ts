import { describe, expect, it } from 'vitest';
import { FakeClock, KeyedRateLimiter, LoginThrottle } from '../../core/index.js';
import {
  DigestAuthenticator,
  answerChallenge,
  computeHa1,
  parseMessage,
  type HeaderField,
  type SipRequest,
} from '../../sip/index.js';
import { DigestGate } from './digest-gate.js';
import { Registrar, type RegisterOutcome } from './registrar.js';
import { RegistrationTable } from './registration-table.js';
import type { SipAccount } from './sip-accounts.js';

const realm = 'strowger';
const account = (username: string, password: string, deviceName: string): SipAccount => ({
  deviceName,
  username,
  ha1: {
    realm,
    md5: computeHa1('MD5', username, realm, password),
    sha256: computeHa1('SHA-256', username, realm, password),
  },
});
const accounts = new Map([
  ['1001', account('1001', 'pw-1001', 'SEP000000001001')],
  ['1002', account('1002', 'pw-1002', 'SEP000000001002')],
]);

function setup(limits = {}) {
  const clock = new FakeClock(0);
  const table = new RegistrationTable(clock);
  const outcomes: RegisterOutcome[] = [];
  const authenticator = new DigestAuthenticator({ realm, clock });
  const directory = { findByUsername: (username: string) => accounts.get(username) };
  const throttle = new LoginThrottle({
    clock,
    service: 'sip',
    thresholds: { user: 3, source: 3, pair: 3 },
    firstLockoutMs: 10_000,
  });
  const gate = new DigestGate({
    authenticator,
    accounts: directory,
    throttle,
    challenges: new KeyedRateLimiter({ clock, burst: 20, ratePerSecond: 1 }),
  });
  const registrar = new Registrar({
    accounts: directory,
    table,
    gate,
    clock,
    limits,
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  let cseq = 1;
  const register = async (
    options: {
      user?: string;
      password?: string;
      contact?: string;
      expires?: string;
      authorize?: boolean;
      callId?: string;
      aor?: string;
      source?: string;
    } = {},
  ) => {
    const user = options.user ?? '1001';
    const text = (auth?: string) =>
      `REGISTER sip:${realm} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK${cseq}\r\nFrom: <sip:${user}@${realm}>;tag=r\r\nTo: <sip:${options.aor ?? user}@${realm}>\r\nCall-ID: ${options.callId ?? 'reg-1'}\r\nCSeq: ${cseq++} REGISTER\r\nContact: ${options.contact ?? '<sip:1001@192.0.2.7:5062>'}\r\n${options.expires === undefined ? '' : `Expires: ${options.expires}\r\n`}${auth === undefined ? '' : `Authorization: ${auth}\r\n`}User-Agent: test phone\r\nContent-Length: 0\r\n\r\n`;
    const send = async (auth?: string) => {
      const request = parseMessage(Buffer.from(text(auth))) as SipRequest;
      const answers: Answer[] = [];
      await registrar.handle({
        request,
        source: { protocol: 'udp', remote: { address: options.source ?? '192.0.2.7', port: 5062 } },
        respond: (status, reason, opts) => {
          answers.push({
            status,
            ...(reason === undefined ? {} : { reason }),
            headers: opts?.headers ?? [],
            stateless: opts?.stateless === true,
          });
        },
        discard: () => answers.push({ status: 0, headers: [], stateless: true }),
      });
      return answers[0] as Answer;
    };
    const challenge = await send();
    if (options.authorize === false || challenge.status !== 401) return challenge;
    const www = challenge.headers.find((h) => h.name === 'WWW-Authenticate')?.value ?? '';
    return send(
      answerChallenge({
        challenge: www,
        method: 'REGISTER',
        uri: `sip:${realm}`,
        username: user,
        password: options.password ?? `pw-${user}`,
      }),
    );
  };
  return { clock, table, outcomes, register, throttle };
}

interface Answer {
  status: number;
  reason?: string;
  headers: HeaderField[];
  /** Sent once without a transaction kept (§26.3.2.4); a dropped request shows as status 0. */
  stateless: boolean;
}

describe('Registrar (RFC 3261 §10.3)', () => {
  it('a REGISTER without credentials MUST be challenged with SHA-256 and MD5', async () => {
    const { register } = setup();
    const answer = await register({ authorize: false });
    expect(answer.status).toBe(401);
    expect(
      answer.headers.filter((h) => h.name === 'WWW-Authenticate').map((h) => /algorithm=([\w-]+)/.exec(h.value)?.[1]),
    ).toEqual(['SHA-256', 'MD5']);
  });

  it('right credentials MUST bind the contact and answer 200 listing it with its expiry', async () => {
    const { register, table } = setup();
    const answer = await register({ expires: '120' });
    expect(answer.status).toBe(200);
    expect(answer.headers.find((h) => h.name === 'Contact')?.value).toMatch(
      /^<sip:1001@192\.0\.2\.7:5062>;expires=\d+$/,
    );
    expect(table.bindings('SEP000000001001')).toHaveLength(1);
    expect(table.bindings('SEP000000001001')[0]?.userAgent).toBe('test phone');
  });

  it('a wrong password and an unknown user MUST get the same 403 and never bind', async () => {
    const { register, table } = setup();
    const wrong = await register({ password: 'nope' });
    const unknown = await register({ user: '9999' });
    expect([wrong.status, wrong.reason]).toEqual([403, 'Forbidden']);
    expect([unknown.status, unknown.reason]).toEqual([403, 'Forbidden']);
    expect(table.bindingCount).toBe(0);
  });

  it("credentials for another phone MUST NOT register this phone's address", async () => {
    const { register, table } = setup();
    const { table: bindings } = { table };
    const answer = await register({ user: '1002', aor: '1001', contact: '<sip:1002@192.0.2.8>' });
    expect(answer.status).toBe(403);
    expect(bindings.bindingCount).toBe(0);
  });

  it('an expiry shorter than the minimum MUST get 423 with Min-Expires', async () => {
    const { register } = setup({ minExpiresSeconds: 60 });
    const answer = await register({ expires: '30' });
    expect(answer.status).toBe(423);
    expect(answer.headers).toContainEqual({ name: 'Min-Expires', value: '60' });
  });

  it('a longer expiry MUST be shortened to the maximum, and the binding MUST lapse on time', async () => {
    const { register, table, clock } = setup({ maxExpiresSeconds: 300 });
    const answer = await register({ expires: '7200' });
    expect(answer.headers.find((h) => h.name === 'Contact')?.value).toMatch(/expires=(2\d\d|300)$/);
    const lost: string[] = [];
    table.events.on('unregistered', ({ reason }) => lost.push(reason));
    clock.advance(300_000);
    expect(table.bindingCount).toBe(0);
    expect(lost).toEqual(['expired']);
  });

  it('several contacts MUST be kept, and Expires: 0 MUST remove one', async () => {
    const { register, table } = setup();
    await register({ contact: '<sip:1001@192.0.2.7:5062>' });
    await register({ contact: '<sip:1001@198.51.100.9:5060>;expires=600' });
    expect(table.bindings('SEP000000001001')).toHaveLength(2);
    await register({ contact: '<sip:1001@192.0.2.7:5062>', expires: '0' });
    expect(table.bindings('SEP000000001001').map((b) => b.contactText)).toEqual(['sip:1001@198.51.100.9:5060']);
  });

  it('Contact: * with Expires: 0 MUST remove every binding; without Expires: 0 it MUST get 400', async () => {
    const { register, table } = setup();
    await register();
    expect((await register({ contact: '*', expires: '60' })).status).toBe(400);
    expect((await register({ contact: '*', expires: '0' })).status).toBe(200);
    expect(table.bindingCount).toBe(0);
  });

  it('a challenge and a 403 MUST be sent statelessly; a 200 through the transaction', async () => {
    const { register } = setup();
    const challenge = await register({ authorize: false });
    expect([challenge.status, challenge.stateless]).toEqual([401, true]);
    expect((await register({ password: 'nope' })).stateless).toBe(true);
    const ok = await register();
    expect([ok.status, ok.stateless]).toEqual([200, false]);
  });

  it('a locked-out user MUST get 503 with Retry-After even with the right password, unchecked', async () => {
    const { register, outcomes, clock, table } = setup();
    for (let i = 0; i < 3; i++) expect((await register({ password: 'nope' })).status).toBe(403);
    const refused = await register();
    expect(refused.status).toBe(503);
    expect(refused.headers).toContainEqual({ name: 'Retry-After', value: '10' });
    expect(table.bindingCount).toBe(0);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(1);
    // Once the lock-out has passed, the phone with the right password registers.
    clock.advance(10_000);
    expect((await register()).status).toBe(200);
  });

  it('another user failing from the same source MUST NOT be cleared by a success', async () => {
    const { register } = setup();
    for (let i = 0; i < 2; i++) await register({ user: '1002', password: 'nope' });
    expect((await register()).status).toBe(200); // 1001's success from the same address
    expect((await register({ user: '1002', password: 'nope' })).status).toBe(403);
    // The source reached its threshold with 1002's third failure: 1002 is refused now, right or wrong.
    expect((await register({ user: '1002' })).status).toBe(503);
  });

  it('challenges over the per-source rate MUST be dropped unanswered', async () => {
    const { register, outcomes } = setup();
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push((await register({ authorize: false, source: '198.51.100.1' })).status);
    expect(answers.filter((status) => status === 401)).toHaveLength(20);
    expect(answers.filter((status) => status === 0)).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(5);
    // Another source is not affected.
    expect((await register({ authorize: false, source: '198.51.100.2' })).status).toBe(401);
  });
});
