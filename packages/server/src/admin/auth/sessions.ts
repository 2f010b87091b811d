import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/index.js';

interface Session {
  username: string;
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionLimits {
  /** A session unused this long ends (sliding). */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
  /** Sessions kept at once; the least recently used goes first. */
  maxSessions: number;
}

export const defaultSessionLimits: SessionLimits = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  maxSessions: 10_000,
};

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Signed-in browser sessions, in memory: a restart signs everyone out, which is what a restart of a
 * call manager's admin should do anyway. Only a digest of each session id is kept, so a heap dump
 * does not hand out sessions.
 */
export class SessionStore {
  readonly #clock: Clock;
  readonly #limits: SessionLimits;
  readonly #sessions = new Map<string, Session>();

  constructor(clock: Clock, limits: Partial<SessionLimits> = {}) {
    this.#clock = clock;
    this.#limits = { ...defaultSessionLimits, ...limits };
  }

  get limits(): SessionLimits {
    return this.#limits;
  }

  /** Starts a session; the id goes into the cookie, the CSRF token to the page. */
  create(username: string): { id: string; csrfToken: string } {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.#clock.now();
    this.#sessions.set(digest(id), { username, csrfToken, createdAt: now, lastSeen: now });
    while (this.#sessions.size > this.#limits.maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return { id, csrfToken };
  }

  /** The live session with this id, refreshed; undefined when unknown or expired. */
  touch(id: string): { username: string; csrfToken: string } | undefined {
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.#clock.now();
    if (now - session.lastSeen > this.#limits.idleMs || now - session.createdAt > this.#limits.absoluteMs) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.lastSeen = now;
    // Re-inserted, so the map's order is least recently used first.
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    return { username: session.username, csrfToken: session.csrfToken };
  }

  end(id: string): void {
    this.#sessions.delete(digest(id));
  }

  /** Ends every session of an account (deleted, or its password changed). */
  endAll(username: string): void {
    for (const [key, session] of this.#sessions) if (session.username === username) this.#sessions.delete(key);
  }
}
