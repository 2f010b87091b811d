import type { AdminRole } from '../../store/index.js';

/** How a request proved who sent it. */
export type CredentialKind = 'session' | 'basic' | 'bearer' | 'local';

/** Who sent a request, as the access check and the audit log see it. */
export interface Principal {
  username: string;
  role: AdminRole;
  via: CredentialKind;
  /** For a session: the token unsafe requests must echo in X-CSRF-Token. */
  csrfToken?: string;
  /** For a session: its id, so logout can end it. */
  sessionId?: string;
}

/** The audit log's "who": the account, or the command line on the server's machine. */
export function actorOf(principal: Principal | null): string {
  if (principal === null) return 'anonymous';
  return principal.via === 'local' ? 'local command line' : principal.username;
}

/**
 * Who may call a route: `public` (no credentials), `read` (any account), `write` (full admins),
 * `self` (any account, acting on itself), `metrics` (anyone on this machine, any account elsewhere).
 */
export type RouteAccess = 'public' | 'read' | 'write' | 'self' | 'metrics';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access check before the handler runs; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
