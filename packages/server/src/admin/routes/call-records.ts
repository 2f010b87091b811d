import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { callRecordsCsv, parseRecordTime, type CallRecordQuery, type StoredCallRecord } from '../../store/index.js';

export interface CallRecordSource {
  listCallRecords(query: CallRecordQuery): Promise<StoredCallRecord[]>;
}

/** GET /api/v1/call-records: finished calls, as JSON or (format=csv) as the CSV `strowger cdr export` writes. */
export function registerCallRecordRoutes(app: FastifyInstance, source: CallRecordSource): void {
  app.get(
    '/api/v1/call-records',
    {
      schema: {
        summary: 'Call detail records of finished calls, oldest first',
        querystring: Type.Object({
          since: Type.Optional(Type.String({ description: 'Only calls that ended at or after this time (ISO 8601).' })),
          until: Type.Optional(Type.String({ description: 'Only calls that ended before this time (ISO 8601).' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 })),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
        }),
      },
    },
    async (request, reply) => {
      const query = request.query as { since?: string; until?: string; limit?: number; format?: 'json' | 'csv' };
      const since = parseRecordTime('since', query.since);
      const until = parseRecordTime('until', query.until);
      const records = await source.listCallRecords({
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        limit: query.limit ?? 1000,
      });
      if (query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(callRecordsCsv(records));
      return { callRecords: records };
    },
  );
}
