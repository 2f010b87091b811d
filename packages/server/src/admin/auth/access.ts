import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../core/index.js';
import { HttpProblem } from '../problem.js';
import type { Authenticator } from './authenticator.js';
import type { RouteAccess } from './principal.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The access check every request passes before its body is read: public routes pass; others need
 * credentials (401), writes need a full admin (403), and a browser session's writes must echo its
 * CSRF token in X-CSRF-Token (403) — the SameSite=Strict cookie already stays home, this is the
 * second lock on the door.
 */
export function installAccessCheck(app: FastifyInstance, auth: Authenticator, publicPrefixes: readonly string[]): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const access = accessOf(request, publicPrefixes);
    if (access === 'public') return;
    if (access === 'metrics' && isLoopback(request.ip)) return;
    const principal = await auth.authenticate(request);
    if (principal === null) {
      throw new HttpProblem(
        401,
        ErrorCode.AuthenticationFailed,
        'sign in first: send HTTP Basic credentials (curl -u admin:PASSWORD), a bearer token, or sign in at POST /api/v1/auth/login',
      );
    }
    const unsafe = !safeMethods.has(request.method);
    if (principal.via === 'session' && unsafe && request.headers['x-csrf-token'] !== principal.csrfToken) {
      throw new HttpProblem(
        403,
        ErrorCode.PrivilegeViolation,
        'a change made with a session cookie must carry its CSRF token in the X-CSRF-Token header (the sign-in answer and GET /api/v1/auth/me give it)',
      );
    }
    if (access === 'write' && principal.role !== 'admin') {
      throw new HttpProblem(
        403,
        ErrorCode.PrivilegeViolation,
        `${principal.username} is a read-only account and may not change anything; ask a full admin, or for the admin role`,
      );
    }
    request.principal = principal;
  });
}

function accessOf(request: FastifyRequest, publicPrefixes: readonly string[]): RouteAccess {
  const configured = request.routeOptions.config.access;
  if (configured !== undefined) return configured;
  const url = request.routeOptions.url;
  // Routes of plugins (the reference page's files) and unknown paths (answered 404) are public.
  if (url === undefined || publicPrefixes.some((prefix) => url.startsWith(prefix))) return 'public';
  return safeMethods.has(request.method) ? 'read' : 'write';
}

function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1' || address.startsWith('::ffff:127.');
}
