import { Type } from '@sinclair/typebox';
import { callRecordsCsv, parseRecordTime, type CallRecordQuery, type StoredCallRecord } from '../../store/index.js';
import { problemResponses, type AdminApp } from './config-objects.js';

export interface CallRecordSource {
  listCallRecords(query: CallRecordQuery): Promise<StoredCallRecord[]>;
}

const CallRecordSchema = Type.Object({
  callId: Type.String(),
  callingNumber: Type.String(),
  callingDevice: Type.Optional(Type.String()),
  dialledNumber: Type.String(),
  originalCalledNumber: Type.String(),
  finalCalledNumber: Type.String(),
  calledDevice: Type.Optional(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Optional(Type.String({ format: 'date-time' })),
  endedAt: Type.String({ format: 'date-time' }),
  cause: Type.Object({ reason: Type.String(), q850: Type.Integer(), sipStatus: Type.Integer() }),
  releasedBy: Type.String(),
  redirections: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), reason: Type.String() })),
});

/** GET /api/v1/call-records: finished calls, as JSON or (format=csv) as the CSV `strowger cdr export` writes. */
export function registerCallRecordRoutes(app: AdminApp, source: CallRecordSource): void {
  app.get(
    '/api/v1/call-records',
    {
      schema: {
        summary: 'Call detail records of finished calls, oldest first',
        tags: ['Call records'],
        querystring: Type.Object(
          {
            since: Type.Optional(
              Type.String({ maxLength: 40, description: 'Only calls that ended at or after this time (ISO 8601).' }),
            ),
            until: Type.Optional(
              Type.String({ maxLength: 40, description: 'Only calls that ended before this time (ISO 8601).' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 })),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The records, as JSON or as CSV',
            content: {
              'application/json': { schema: Type.Object({ callRecords: Type.Array(CallRecordSchema) }) },
              'text/csv': { schema: Type.String() },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const since = parseRecordTime('since', query.since);
      const until = parseRecordTime('until', query.until);
      const records = await source.listCallRecords({
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        limit: query.limit ?? 1000,
      });
      if (query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(callRecordsCsv(records));
      return reply.type('application/json; charset=utf-8').send({
        callRecords: records.map((record) => ({
          callId: record.callId,
          callingNumber: record.callingNumber,
          ...(record.callingDevice === undefined ? {} : { callingDevice: record.callingDevice }),
          dialledNumber: record.dialledNumber,
          originalCalledNumber: record.originalCalledNumber,
          finalCalledNumber: record.finalCalledNumber,
          ...(record.calledDevice === undefined ? {} : { calledDevice: record.calledDevice }),
          startedAt: record.startedAt.toISOString(),
          ...(record.answeredAt === undefined ? {} : { answeredAt: record.answeredAt.toISOString() }),
          endedAt: record.endedAt.toISOString(),
          cause: { ...record.cause },
          releasedBy: record.releasedBy,
          redirections: record.redirections.map((r) => ({ ...r })),
        })),
      });
    },
  );
}
