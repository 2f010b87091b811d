import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import {
  DigestAuthenticator,
  answerChallenge,
  computeHa1,
  computeResponse,
  parseDigestHeader,
  splitChallenges,
} from './index.js';
import type { DigestAlgorithm } from './index.js';

const realm = 'strowger';
const accounts: Record<string, string> = { '1001': 'pw-1001' };

function lookup(username: string, r: string, algorithm: DigestAlgorithm): string | undefined {
  const password = accounts[username];
  return password === undefined ? undefined : computeHa1(algorithm, username, r, password);
}

function setup() {
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({ realm, clock, nonceLifetimeMs: 60_000 });
  const answer = (
    options: { algorithmIndex?: number; password?: string; username?: string; nc?: number; challenge?: string } = {},
  ) =>
    answerChallenge({
      challenge: options.challenge ?? (auth.challenge()[options.algorithmIndex ?? 0] as string),
      method: 'REGISTER',
      uri: 'sip:strowger.example',
      username: options.username ?? '1001',
      password: options.password ?? 'pw-1001',
      ...(options.nc === undefined ? {} : { nc: options.nc }),
    });
  const verify = (authorization: string) => auth.verify({ method: 'REGISTER', authorization, lookupHa1: lookup });
  return { clock, auth, answer, verify };
}

describe('digest computation (RFC 7616 §3.9.1)', () => {
  const common = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    qop: 'auth',
    method: 'GET',
    uri: '/dir/index.html',
  };
  it('MUST reproduce the RFC example response for MD5', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(computeResponse({ algorithm: 'MD5', ha1, ...common })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });
  it('MUST reproduce the RFC example response for SHA-256', () => {
    const ha1 = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(computeResponse({ algorithm: 'SHA-256', ha1, ...common })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('DigestAuthenticator', () => {
  it('MUST offer SHA-256 before MD5 with qop=auth (RFC 8760 §2.4)', () => {
    const { auth } = setup();
    const [first, second] = auth.challenge().map((value) => parseDigestHeader(value));
    expect(first?.params.get('algorithm')).toBe('SHA-256');
    expect(second?.params.get('algorithm')).toBe('MD5');
    expect(first?.params.get('qop')).toBe('auth');
    expect(first?.params.get('nonce')).toBe(second?.params.get('nonce'));
  });

  it('a correct answer MUST verify, for both algorithms', () => {
    const { answer, verify } = setup();
    expect(verify(answer({ algorithmIndex: 0 }))).toEqual({ ok: true, username: '1001', algorithm: 'SHA-256' });
    expect(verify(answer({ algorithmIndex: 1 }))).toEqual({ ok: true, username: '1001', algorithm: 'MD5' });
  });

  it('a wrong password MUST fail as bad-response and an unknown user as unknown-user', () => {
    const { answer, verify } = setup();
    expect(verify(answer({ password: 'nope' }))).toMatchObject({ ok: false, reason: 'bad-response' });
    expect(verify(answer({ username: 'ghost' }))).toMatchObject({ ok: false, reason: 'unknown-user' });
  });

  it('an expired nonce with right credentials MUST be stale; with wrong ones it MUST NOT be', () => {
    const { answer, verify, clock } = setup();
    const good = answer();
    const bad = answer({ password: 'nope' });
    clock.advance(61_000);
    expect(verify(good)).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(bad)).toMatchObject({ ok: false, reason: 'bad-response' });
  });

  it('a replayed nonce-count MUST be refused and a higher one accepted', () => {
    const { auth, answer, verify } = setup();
    const challenge = auth.challenge()[0] as string;
    const first = answer({ challenge, nc: 1 });
    expect(verify(first).ok).toBe(true);
    expect(verify(first)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(verify(answer({ challenge, nc: 2 })).ok).toBe(true);
  });

  it('a nonce from another server secret or a tampered nonce MUST be refused', () => {
    const { verify } = setup();
    const other = new DigestAuthenticator({ realm, clock: new FakeClock() });
    const foreign = answerChallenge({
      challenge: other.challenge()[0] as string,
      method: 'REGISTER',
      uri: 'sip:x',
      username: '1001',
      password: 'pw-1001',
    });
    expect(verify(foreign)).toMatchObject({ ok: false, reason: 'unknown-nonce' });
    const { auth: mine } = setup();
    const challenge = (mine.challenge()[0] as string).replace(
      /nonce="([^"]+)"/,
      (_m, n: string) => `nonce="${n.replace(/^./, 'z')}"`,
    );
    expect(
      verify(answerChallenge({ challenge, method: 'REGISTER', uri: 'sip:x', username: '1001', password: 'pw-1001' }))
        .ok,
    ).toBe(false);
  });

  it('an unknown algorithm, a wrong realm and missing qop MUST be refused with their reasons', () => {
    const { answer, verify } = setup();
    const good = answer();
    expect(verify(good.replace('algorithm=SHA-256', 'algorithm=SHA-512-256'))).toMatchObject({
      reason: 'unsupported-algorithm',
    });
    expect(verify(good.replace(`realm="${realm}"`, 'realm="elsewhere"'))).toMatchObject({ reason: 'wrong-realm' });
    expect(verify(good.replace(', qop=auth', ''))).toMatchObject({ reason: 'malformed' });
  });

  it('malformed Authorization values MUST return malformed, never throw', () => {
    const { verify } = setup();
    for (const value of [
      '',
      'Digest',
      'Basic abc',
      'Digest username="a',
      'Digest username=, realm="x"',
      'Digest a="1", a="2"',
      'Digest ===',
      '\u0000\u00ff',
      'Digest username="1001" realm="strowger"',
    ]) {
      expect(verify(value)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('expired nonces MUST be forgotten so replay state stays bounded', () => {
    const clock = new FakeClock();
    const auth = new DigestAuthenticator({ realm, clock, nonceLifetimeMs: 1000, maxTrackedNonces: 10 });
    for (let i = 0; i < 50; i++) {
      const authorization = answerChallenge({
        challenge: auth.challenge()[0] as string,
        method: 'REGISTER',
        uri: 'sip:x',
        username: '1001',
        password: 'pw-1001',
      });
      expect(auth.verify({ method: 'REGISTER', authorization, lookupHa1: lookup }).ok).toBe(true);
      clock.advance(100);
    }
    expect(auth.trackedNonces).toBeLessThanOrEqual(11);
  });

  it('comma-joined challenges MUST split at scheme boundaries only', () => {
    expect(splitChallenges('Digest realm="a, Digest b=1", nonce="n", Digest realm="b", nonce="m"')).toEqual([
      'Digest realm="a, Digest b=1", nonce="n"',
      'Digest realm="b", nonce="m"',
    ]);
  });
});
