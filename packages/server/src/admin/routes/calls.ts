import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CallViewSchema, type CallDirectoryView } from '../call-view.js';

export function registerCallRoutes(app: FastifyInstance, calls: CallDirectoryView): void {
  app.get(
    '/api/v1/calls',
    {
      schema: {
        summary: 'Live calls with their connections and terminal connections, in JTAPI states',
        querystring: Type.Object({
          device: Type.Optional(
            Type.String({ minLength: 1, maxLength: 50, description: 'Only calls on this device.' }),
          ),
          dn: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Only calls on this number.' })),
        }),
        response: { 200: Type.Object({ calls: Type.Array(CallViewSchema) }) },
      },
    },
    async (request) => {
      const query = request.query as { device?: string; dn?: string };
      const list = calls
        .listCalls()
        .filter(
          (call) =>
            query.device === undefined ||
            call.connections.some((c) => c.terminalConnections.some((tc) => tc.terminal === query.device)),
        )
        .filter((call) => query.dn === undefined || call.connections.some((c) => c.address === query.dn));
      return { calls: list };
    },
  );
}
