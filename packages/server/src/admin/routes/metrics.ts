import { Type } from '@sinclair/typebox';
import type { Registry } from 'prom-client';
import { problemResponses, type AdminApp } from './config-objects.js';

/**
 * GET /metrics: Prometheus text. Open to scrapers on this machine; from elsewhere it takes any
 * account's credentials (a bearer token in Prometheus's `authorization` setting), since the counts
 * tell an outsider how busy and how attacked the server is.
 */
export function registerMetricsRoute(app: AdminApp, registry: Registry): void {
  app.get(
    '/metrics',
    {
      config: { access: 'metrics' },
      schema: {
        summary: 'Prometheus metrics (no credentials needed from this machine)',
        tags: ['Server'],
        response: {
          200: { description: 'The Prometheus text format', content: { 'text/plain': { schema: Type.String() } } },
          ...problemResponses,
        },
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    },
  );
}
