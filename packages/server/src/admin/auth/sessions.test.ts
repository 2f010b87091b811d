import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { SessionStore } from './sessions.js';

describe('admin sessions', () => {
  it('a session MUST end after its idle time unused, and a use MUST push that back', () => {
    const clock = new FakeClock();
    const sessions = new SessionStore(clock, { idleMs: 1000, absoluteMs: 10_000 });
    const { id, csrfToken } = sessions.create('admin');
    clock.advance(900);
    expect(sessions.touch(id)).toEqual({ username: 'admin', csrfToken });
    clock.advance(900);
    expect(sessions.touch(id)?.username).toBe('admin');
    clock.advance(1001);
    expect(sessions.touch(id)).toBeUndefined();
  });

  it('a session MUST end at its absolute lifetime however much it is used', () => {
    const clock = new FakeClock();
    const sessions = new SessionStore(clock, { idleMs: 1000, absoluteMs: 2500 });
    const { id } = sessions.create('admin');
    for (let i = 0; i < 2; i++) {
      clock.advance(900);
      expect(sessions.touch(id)).toBeDefined();
    }
    clock.advance(900);
    expect(sessions.touch(id)).toBeUndefined();
  });

  it("ending an account's sessions MUST end each of them and no other account's", () => {
    const sessions = new SessionStore(new FakeClock());
    const first = sessions.create('alice');
    const second = sessions.create('alice');
    const other = sessions.create('bob');
    sessions.endAll('alice');
    expect(sessions.touch(first.id)).toBeUndefined();
    expect(sessions.touch(second.id)).toBeUndefined();
    expect(sessions.touch(other.id)?.username).toBe('bob');
  });

  it('beyond the limit the least recently used session MUST go first', () => {
    const sessions = new SessionStore(new FakeClock(), { maxSessions: 2 });
    const a = sessions.create('a');
    const b = sessions.create('b');
    sessions.touch(a.id);
    const c = sessions.create('c');
    expect(sessions.touch(b.id)).toBeUndefined();
    expect(sessions.touch(a.id)?.username).toBe('a');
    expect(sessions.touch(c.id)?.username).toBe('c');
  });

  it('an unknown or forged id MUST find no session', () => {
    const sessions = new SessionStore(new FakeClock());
    sessions.create('admin');
    expect(sessions.touch('not-a-session')).toBeUndefined();
  });
});
