import { Type } from '@sinclair/typebox';
import { parseRecordTime, type AuditEntry, type AuditQuery } from '../../store/index.js';
import { defaultLimit, listPageSchema, maxLimit } from '../config/listing.js';
import { problemResponses, type AdminApp } from './config-objects.js';

const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'The admin account, "local command line", or who applied a file.' }),
  action: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
  resource: Type.String({ description: 'device, line, end-user, settings, admin-account, admin-token…' }),
  key: Type.String({ description: "The object's name, number or id." }),
  before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()], {
    description: 'What before and after cannot show: "password changed".',
  }),
});

export interface AuditSource {
  listAuditEntries(query: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }>;
}

/** GET /api/v1/audit-log: every change, newest first — who, when, what, before and after. */
export function registerAuditRoutes(app: AdminApp, source: AuditSource): void {
  app.get(
    '/api/v1/audit-log',
    {
      schema: {
        summary: 'The audit log: every change to the configuration and the admin accounts, newest first',
        tags: ['Audit log'],
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ maxLength: 100 })),
            resource: Type.Optional(Type.String({ maxLength: 50 })),
            key: Type.Optional(Type.String({ maxLength: 100 })),
            since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601: entries at or after it.' })),
            until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601: entries before it.' })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxLimit })),
          },
          { additionalProperties: false },
        ),
        response: { 200: listPageSchema(AuditEntrySchema, 'One page of audit entries'), ...problemResponses },
      },
    },
    async (request) => {
      const query = request.query;
      const offset = query.offset ?? 0;
      const limit = query.limit ?? defaultLimit;
      const { entries, total } = await source.listAuditEntries({
        actor: query.actor,
        resource: query.resource,
        key: query.key,
        since: parseRecordTime('since', query.since),
        until: parseRecordTime('until', query.until),
        offset,
        limit,
      });
      return { items: entries.map((entry) => ({ ...entry, at: entry.at.toISOString() })), total, offset, limit };
    },
  );
}
