import { Type } from '@sinclair/typebox';
import type { AdminApp } from './config-objects.js';

/**
 * GET /api/v1/cti/asyncapi.json: the CTI protocol's AsyncAPI 3 document, generated from the same
 * schemas the CTI server validates with (the WebSocket counterpart of an OpenAPI document). Public,
 * like the OpenAPI document: it describes the protocol, not the site.
 */
export function registerCtiAsyncApiRoute(app: AdminApp, document: () => Record<string, unknown>): void {
  let cached: Record<string, unknown> | undefined;
  app.get(
    '/api/v1/cti/asyncapi.json',
    {
      config: { access: 'public' },
      schema: {
        summary: "The CTI protocol's AsyncAPI 3 document",
        tags: ['CTI'],
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    async (_request, reply) => reply.type('application/json').send((cached ??= document())),
  );
}
