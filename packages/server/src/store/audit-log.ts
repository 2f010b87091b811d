import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import * as t from './schema.js';

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  key: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

export interface AuditQuery {
  actor?: string | undefined;
  resource?: string | undefined;
  key?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  offset: number;
  limit: number;
}

const actionOf = (action: string): AuditEntry['action'] =>
  action === 'create' || action === 'delete' ? action : 'update';

/** Audit entries, newest first, with how many match in all (for paging). */
export async function listAuditEntries(
  db: Database,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const conditions: SQL[] = [];
  if (query.actor !== undefined) conditions.push(eq(t.auditLog.actor, query.actor));
  if (query.resource !== undefined) conditions.push(eq(t.auditLog.resource, query.resource));
  if (query.key !== undefined) conditions.push(eq(t.auditLog.key, query.key));
  if (query.since !== undefined) conditions.push(gte(t.auditLog.at, query.since));
  if (query.until !== undefined) conditions.push(lt(t.auditLog.at, query.until));
  const where = conditions.length === 0 ? undefined : and(...conditions);
  const [totalRow] = await db.select({ n: count() }).from(t.auditLog).where(where);
  const rows = await db
    .select()
    .from(t.auditLog)
    .where(where)
    .orderBy(desc(t.auditLog.id))
    .offset(query.offset)
    .limit(query.limit);
  return {
    total: totalRow?.n ?? 0,
    entries: rows.map((row) => ({ ...row, action: actionOf(row.action) })),
  };
}
