import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { CallViewSchema, type CallDirectoryView } from '../call-view.js';
import { problemResponses, type AdminApp } from './config-objects.js';

/** Ends a live call for every party (JTAPI CallControlCall.drop). */
export interface CallControl {
  hangUp(callId: string): void;
}

export function registerCallRoutes(app: AdminApp, calls: CallDirectoryView, control: CallControl | undefined): void {
  const tags = ['Live'];
  app.get(
    '/api/v1/calls',
    {
      schema: {
        summary: 'Live calls with their connections and terminal connections, in JTAPI states',
        tags,
        querystring: Type.Object(
          {
            device: Type.Optional(
              Type.String({ minLength: 1, maxLength: 50, description: 'Only calls on this device.' }),
            ),
            dn: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Only calls on this number.' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ calls: Type.Array(CallViewSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const query = request.query;
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

  const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
  const find = (id: string) => {
    const call = calls.listCalls().find((candidate) => candidate.id === id);
    if (call === undefined)
      throw new StrowgerError(ErrorCode.NotFound, `no call ${id} in progress; GET /api/v1/calls lists them`);
    return call;
  };
  app.get(
    '/api/v1/calls/:id',
    { schema: { summary: 'One live call', tags, params, response: { 200: CallViewSchema, ...problemResponses } } },
    async (request) => find(request.params.id),
  );
  if (control === undefined) return;
  app.delete(
    '/api/v1/calls/:id',
    {
      schema: {
        summary: 'Hang up a live call for every party',
        tags,
        params,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      control.hangUp(find(request.params.id).id);
      return reply.status(204).send(null);
    },
  );
}
