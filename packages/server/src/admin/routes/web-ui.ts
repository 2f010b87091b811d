import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminApp } from './config-objects.js';

/**
 * The page's own policy: scripts and connections only from this server; inline styles because the
 * component library sets its theme's CSS variables in a style element.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const notBuilt = `<!doctype html><meta charset="utf-8"><title>Strowger</title>
<p>The web admin UI is not built. Run <code>npm run build</code> in the checkout and start the server again;
the admin API is at <a href="/api/v1/docs">/api/v1/docs</a>.</p>`;

/** Paths of the server's own that never fall back to the UI's page. */
const serverPaths = ['/api/', '/metrics', '/healthz'];

/** What the not-found handler asks: is this a page of the UI (client-side routing), and if so sends it. */
export type WebUiFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * Serves the web UI's static files (packages/web's build) at `/`: hashed assets cached for a year,
 * index.html never cached, and any other GET of a page (not under /api) answered with index.html so
 * the UI's own router shows it. Everything here is public: the UI signs in through the API.
 */
export async function registerWebUi(app: AdminApp, root: string): Promise<WebUiFallback> {
  const built = existsSync(join(root, 'index.html'));
  const config = { access: 'public' as const };
  const schema = { hide: true };
  const sendIndex = (reply: FastifyReply) => {
    reply.header('content-security-policy', contentSecurityPolicy).header('x-content-type-options', 'nosniff');
    if (!built) return reply.status(503).type('text/html; charset=utf-8').send(notBuilt);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };
  if (built) {
    await app.register(fastifyStatic, { root, serve: false });
    app.get<{ Params: { '*': string } }>('/assets/*', { config, schema }, (request, reply) =>
      reply.sendFile(join('assets', request.params['*']), { maxAge: '365d', immutable: true }),
    );
  }
  app.get('/', { config, schema }, (_request, reply) => sendIndex(reply));
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    if (!wantsPage || serverPaths.some((prefix) => path.startsWith(prefix)) || path.startsWith('/assets/')) {
      return undefined;
    }
    return sendIndex(reply);
  };
}
