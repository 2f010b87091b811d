import type { FastifyInstance } from 'fastify';

/**
 * GET /api/v1/cti/asyncapi.json: the CTI protocol's AsyncAPI 3 document, generated from the same
 * schemas the CTI server validates with (the WebSocket counterpart of an OpenAPI document).
 */
export function registerCtiAsyncApiRoute(app: FastifyInstance, document: () => Record<string, unknown>): void {
  let cached: Record<string, unknown> | undefined;
  app.get('/api/v1/cti/asyncapi.json', async (_request, reply) =>
    reply.type('application/json').send((cached ??= document())),
  );
}
