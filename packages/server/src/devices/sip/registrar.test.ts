import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import {
  DigestAuthenticator,
  FailureThrottle,
  answerChallenge,
  computeHa1,
  parseMessage,
  type HeaderField,
  type SipRequest,
} from '../../sip/index.js';
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
  const registrar = new Registrar({
    accounts: { findByUsername: (username) => accounts.get(username) },
    table,
    authenticator,
    throttle: new FailureThrottle({ clock, threshold: 2, baseDelayMs: 1000, windowMs: 3_600_000 }),
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
      delayMs?: number;
    } = {},
  ) => {
    const user = options.user ?? '1001';
    const text = (auth?: string) =>
      `REGISTER sip:${realm} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK${cseq}\r\nFrom: <sip:${user}@${realm}>;tag=r\r\nTo: <sip:${options.aor ?? user}@${realm}>\r\nCall-ID: ${options.callId ?? 'reg-1'}\r\nCSeq: ${cseq++} REGISTER\r\nContact: ${options.contact ?? '<sip:1001@192.0.2.7:5062>'}\r\n${options.expires === undefined ? '' : `Expires: ${options.expires}\r\n`}${auth === undefined ? '' : `Authorization: ${auth}\r\n`}User-Agent: test phone\r\nContent-Length: 0\r\n\r\n`;
    const send = async (auth?: string) => {
      const request = parseMessage(Buffer.from(text(auth))) as SipRequest;
      const answers: Array<{ status: number; reason?: string; headers: HeaderField[] }> = [];
      const pending = registrar.handle({
        request,
        source: { protocol: 'udp', remote: { address: '192.0.2.7', port: 5062 } },
        respond: (status, reason, opts) => {
          answers.push({ status, ...(reason === undefined ? {} : { reason }), headers: opts?.headers ?? [] });
        },
      });
      // A throttled answer goes out only when its delay has passed.
      await Promise.resolve();
      if (options.delayMs !== undefined && auth !== undefined) {
        clock.advance(options.delayMs - 1);
        await Promise.resolve();
        if (answers.length > 0) throw new Error('answered before the throttle delay');
      }
      clock.advance(60_000);
      await pending;
      return answers[0] as { status: number; reason?: string; headers: HeaderField[] };
    };
    const challenge = await send();
    if (options.authorize === false) return challenge;
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
  return { clock, table, outcomes, register };
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

  it('repeated failures from one source MUST be answered more slowly', async () => {
    const { register, outcomes } = setup();
    for (let i = 0; i < 2; i++) await register({ password: 'nope' });
    // The third failure is past the threshold of 2: its 403 waits 1 s.
    expect((await register({ password: 'nope', delayMs: 1000 })).status).toBe(403);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(3);
  });
});
