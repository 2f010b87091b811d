import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { LoginThrottle, type LoginLockout, type LoginThrottleOptions } from './login-throttle.js';
import type { Logger } from './logger.js';

function throttle(options: Partial<LoginThrottleOptions> = {}) {
  const clock = new FakeClock(0);
  const lockouts: LoginLockout[] = [];
  const lines: Array<{ obj: object; msg: string | undefined }> = [];
  const logger: Logger = {
    error() {},
    warn: (obj, msg) => lines.push({ obj, msg }),
    info() {},
    debug() {},
    child: () => logger,
  };
  const t = new LoginThrottle({
    clock,
    service: 'sip',
    logger,
    thresholds: { user: 3, source: 6, pair: 3 },
    firstLockoutMs: 1000,
    maxLockoutMs: 8000,
    decayMs: 60_000,
    observer: { lockedOut: (lockout) => lockouts.push(lockout) },
    ...options,
  });
  return { clock, t, lockouts, lines };
}

/** One guess: admitted and wrong, or refused. */
function guess(t: LoginThrottle, user: string, source: string, right = false): 'checked' | 'refused' {
  const admission = t.admit({ user, source });
  if (!admission.admitted) return 'refused';
  if (right) admission.attempt.succeeded();
  else admission.attempt.failed();
  return 'checked';
}

describe('LoginThrottle', () => {
  it('MUST refuse every attempt of a locked user before its credentials are checked, a right one too', () => {
    const { t } = throttle();
    for (let i = 0; i < 3; i++) expect(guess(t, '1004', '192.0.2.9')).toBe('checked');
    const admission = t.admit({ user: '1004', source: '192.0.2.9' });
    expect(admission.admitted).toBe(false);
    if (admission.admitted) return;
    expect(admission.scope).toBe('pair');
    expect(admission.retryAfterMs).toBe(1000);
    // From another address that never logged in, the account is locked too.
    const elsewhere = t.admit({ user: '1004', source: '198.51.100.7' });
    expect(elsewhere.admitted).toBe(false);
    if (!elsewhere.admitted) expect(elsewhere.scope).toBe('user');
  });

  it('MUST double the lock-out with each failure after it, up to the maximum', () => {
    const { clock, t } = throttle({ thresholds: { user: 3, source: 100, pair: 100 } });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Each guess comes from a fresh address, as a distributed guesser's would.
      const source = `203.0.113.${i}`;
      const admission = t.admit({ user: '1004', source });
      if (!admission.admitted) {
        waits.push(admission.retryAfterMs);
        clock.advance(admission.retryAfterMs);
        i--;
        continue;
      }
      admission.attempt.failed();
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('keeps a user under one checked guess per second however many sources guess, sustained', () => {
    const { clock, t } = throttle({ maxLockoutMs: 60_000 });
    let checked = 0;
    // 10 guesses a second for ten minutes, each from one of 1,000 addresses.
    for (let i = 0; i < 6000; i++) {
      if (guess(t, '1004', `10.0.${(i >> 8) & 3}.${i & 255}`) === 'checked') checked++;
      clock.advance(100);
    }
    expect(checked).toBeLessThan(600 / 10);
    expect(checked).toBeGreaterThan(3);
  });

  it('MUST let the pair that logged in before through its user lock-out, and nobody else', () => {
    const { t } = throttle();
    expect(guess(t, '1004', '192.0.2.50', true)).toBe('checked'); // the real phone registers
    for (let i = 0; i < 3; i++) guess(t, '1004', `198.51.100.${i}`);
    expect(t.admit({ user: '1004', source: '198.51.100.99' }).admitted).toBe(false);
    expect(guess(t, '1004', '192.0.2.50', true)).toBe('checked');
  });

  it('a success MUST clear only its own pair, never its user, its source or another user', () => {
    const { t } = throttle({ thresholds: { user: 3, source: 4, pair: 3 } });
    // The guesser owns account 2000 and guesses 1004 from the same address.
    for (let i = 0; i < 2; i++) guess(t, '1004', '192.0.2.9');
    expect(guess(t, '2000', '192.0.2.9', true)).toBe('checked');
    guess(t, '1004', '192.0.2.9');
    // 1004 is locked (its third failure): 2000's success before it reset nothing.
    expect(t.admit({ user: '1004', source: '198.51.100.1' }).admitted).toBe(false);
    guess(t, '2001', '192.0.2.9');
    // The source reached its own threshold: nothing more from it, its own account included.
    const own = t.admit({ user: '2000', source: '192.0.2.9' });
    expect(own.admitted).toBe(false);
    if (!own.admitted) expect(own.scope).toBe('source');
  });

  it('the real phone on the guesser’s address gets in with the right password once the penalty ends', () => {
    const { clock, t } = throttle();
    for (let i = 0; i < 3; i++) guess(t, '1004', '192.0.2.9');
    expect(guess(t, '1004', '192.0.2.9', true)).toBe('refused');
    clock.advance(1000);
    expect(guess(t, '1004', '192.0.2.9', true)).toBe('checked');
    // Its pair is cleared; the user's own penalty remains: one more wrong guess from elsewhere locks again.
    expect(guess(t, '1004', '198.51.100.1')).toBe('checked');
    expect(t.admit({ user: '1004', source: '198.51.100.2' }).admitted).toBe(false);
  });

  it('penalties MUST fade by one failure per decay interval', () => {
    const { clock, t } = throttle();
    for (let i = 0; i < 2; i++) guess(t, '1004', '192.0.2.9');
    clock.advance(120_000);
    // Both failures are forgiven: three more are needed to lock again.
    expect(guess(t, '1004', '192.0.2.9')).toBe('checked');
    expect(guess(t, '1004', '192.0.2.9')).toBe('checked');
    expect(t.admit({ user: '1004', source: '192.0.2.9' }).admitted).toBe(true);
    clock.advance(3_600_000);
    // What has faded entirely is forgotten when next looked at.
    const later = t.admit({ user: '1004', source: '192.0.2.9' });
    if (later.admitted) later.attempt.abandoned();
    expect(t.tracked).toEqual({ user: 0, source: 0, pair: 0, trusted: 0 });
  });

  it('MUST log and report one lock-out per scope that locks, naming user and source', () => {
    const { t, lockouts, lines } = throttle();
    for (let i = 0; i < 5; i++) guess(t, '1004', '192.0.2.9');
    expect(lockouts.map((l) => [l.scope, l.user, l.source])).toEqual([
      ['pair', '1004', '192.0.2.9'],
      ['user', '1004', '192.0.2.9'],
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.obj).toMatchObject({ user: '1004', source: '192.0.2.9', scope: 'pair' });
    expect(lines[0]?.msg).toMatch(/sip login locked out/);
    expect(t.lockouts).toEqual({ user: 1, source: 0, pair: 1 });
    expect(t.lockedCount('user')).toBe(1);
  });

  it('MUST NOT let parallel attempts slip past the lock-out while earlier ones are still being checked', () => {
    const { t } = throttle();
    const first = t.admit({ user: '1004', source: '192.0.2.9' });
    const second = t.admit({ user: '1004', source: '192.0.2.9' });
    const third = t.admit({ user: '1004', source: '192.0.2.9' });
    expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, true]);
    // Three in flight could be three failures: the fourth waits for their outcome.
    expect(t.admit({ user: '1004', source: '192.0.2.9' }).admitted).toBe(false);
    if (first.admitted) first.attempt.succeeded();
    if (second.admitted) second.attempt.abandoned();
    expect(t.admit({ user: '1004', source: '192.0.2.9' }).admitted).toBe(true);
  });

  it('remembers a bounded number of keys however many names and addresses are tried', () => {
    const { t } = throttle({ maxTracked: 100 });
    for (let i = 0; i < 1000; i++) guess(t, `user-${i}`, `10.0.${i >> 8}.${i & 255}`, i % 2 === 0);
    expect(t.tracked.user).toBeLessThanOrEqual(100);
    expect(t.tracked.source).toBeLessThanOrEqual(100);
    expect(t.tracked.pair).toBeLessThanOrEqual(100);
    expect(t.tracked.trusted).toBeLessThanOrEqual(100);
  });

  it('reporting an attempt twice counts it once', () => {
    const { t } = throttle();
    for (let i = 0; i < 2; i++) {
      const admission = t.admit({ user: '1004', source: '192.0.2.9' });
      if (!admission.admitted) throw new Error('refused too early');
      admission.attempt.failed();
      admission.attempt.failed();
    }
    expect(t.admit({ user: '1004', source: '192.0.2.9' }).admitted).toBe(true);
  });
});
