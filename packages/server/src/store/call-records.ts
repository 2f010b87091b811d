import { and, asc, gte, lt, sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import type { Logger } from '../core/index.js';
import type { Database } from './database.js';
import { callRecords } from './schema.js';

/** A finished call as the store keeps it (the engine's record, in the store's own words). */
export interface StoredCallRecord {
  callId: string;
  callingNumber: string;
  callingDevice: string | undefined;
  dialledNumber: string;
  originalCalledNumber: string;
  finalCalledNumber: string;
  calledDevice: string | undefined;
  startedAt: Date;
  answeredAt: Date | undefined;
  endedAt: Date;
  cause: { reason: string; q850: number; sipStatus: number };
  releasedBy: string;
  redirections: Array<{ from: string; to: string; reason: string }>;
}

const batchSize = 200;
const flushDelayMs = 250;
/** Records kept while the database cannot take them; beyond this the oldest are dropped, loudly. */
const maxPending = 50_000;

/**
 * Writes call records behind the calls: `write` only queues, and the queue goes to the database in
 * batches, so call handling never waits on storage. A failed batch stays queued and is tried again.
 */
export class CallRecordWriter {
  readonly #db: Database;
  readonly #logger: Logger;
  #pending: StoredCallRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  write(record: StoredCallRecord): void {
    this.#pending.push(record);
    if (this.#pending.length > maxPending) {
      const dropped = this.#pending.splice(0, this.#pending.length - maxPending);
      this.#logger.error(
        { dropped: dropped.length },
        'call records dropped: the database has not taken them for too long',
      );
    }
    if (this.#pending.length >= batchSize) this.#flushInBackground();
    else this.#timer ??= setTimeout(() => this.#flushInBackground(), flushDelayMs).unref();
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** Writes everything queued so far; resolves when it is stored (or has failed and stays queued). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    // Flushes run one after another, so a flush resolves only after every record queued before it.
    this.#chain = this.#chain.then(() => this.#drain());
    return this.#chain;
  }

  /** A flush nobody waits for: #insert keeps failed batches queued, so anything else is only logged. */
  #flushInBackground(): void {
    this.flush().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'call records could not be flushed');
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, batchSize);
      if (!(await this.#insert(batch))) return;
    }
  }

  async #insert(batch: StoredCallRecord[]): Promise<boolean> {
    try {
      // One array parameter per column, unnested by PostgreSQL, rather than drizzle's VALUES list of
      // rows × 15 parameters: building that for a batch of 200 held the event loop for ~20 ms; fifteen
      // arrays cost the driver one string each.
      const column = <T>(pick: (r: StoredCallRecord) => T) => sql.param(batch.map(pick));
      await this.#db.execute(sql`
        INSERT INTO call_records (call_id, calling_number, calling_device, dialled_number,
          original_called_number, final_called_number, called_device, started_at, answered_at, ended_at,
          cause_reason, cause_q850, cause_sip_status, released_by, redirections)
        SELECT * FROM unnest(
          ${column((r) => r.callId)}::text[],
          ${column((r) => r.callingNumber)}::text[],
          ${column((r) => r.callingDevice ?? null)}::text[],
          ${column((r) => r.dialledNumber)}::text[],
          ${column((r) => r.originalCalledNumber)}::text[],
          ${column((r) => r.finalCalledNumber)}::text[],
          ${column((r) => r.calledDevice ?? null)}::text[],
          ${column((r) => r.startedAt.toISOString())}::timestamptz[],
          ${column((r) => r.answeredAt?.toISOString() ?? null)}::timestamptz[],
          ${column((r) => r.endedAt.toISOString())}::timestamptz[],
          ${column((r) => r.cause.reason)}::text[],
          ${column((r) => r.cause.q850)}::integer[],
          ${column((r) => r.cause.sipStatus)}::integer[],
          ${column((r) => r.releasedBy)}::text[],
          ${column((r) => JSON.stringify(r.redirections))}::jsonb[]
        )`);
      return true;
    } catch (error) {
      this.#logger.error({ err: error, records: batch.length }, 'call records could not be stored; they stay queued');
      this.#pending.unshift(...batch);
      this.#timer ??= setTimeout(() => this.#flushInBackground(), 5000).unref();
      return false;
    }
  }
}

export interface CallRecordQuery {
  /** Calls that ended at or after this time. */
  since?: Date;
  /** Calls that ended before this time. */
  until?: Date;
  limit?: number;
}

export async function listCallRecords(db: Database, query: CallRecordQuery = {}): Promise<StoredCallRecord[]> {
  const conditions = [
    ...(query.since === undefined ? [] : [gte(callRecords.endedAt, query.since)]),
    ...(query.until === undefined ? [] : [lt(callRecords.endedAt, query.until)]),
  ];
  const rows = await db
    .select()
    .from(callRecords)
    .where(conditions.length === 0 ? undefined : and(...conditions))
    .orderBy(asc(callRecords.endedAt), asc(callRecords.id))
    .limit(query.limit ?? 1_000_000);
  return rows.map((row) => ({
    callId: row.callId,
    callingNumber: row.callingNumber,
    callingDevice: row.callingDevice ?? undefined,
    dialledNumber: row.dialledNumber,
    originalCalledNumber: row.originalCalledNumber,
    finalCalledNumber: row.finalCalledNumber,
    calledDevice: row.calledDevice ?? undefined,
    startedAt: row.startedAt,
    answeredAt: row.answeredAt ?? undefined,
    endedAt: row.endedAt,
    cause: { reason: row.causeReason, q850: row.causeQ850, sipStatus: row.causeSipStatus },
    releasedBy: row.releasedBy,
    redirections: row.redirections,
  }));
}

/** The CSV columns, in order; the header row names them. */
export const callRecordCsvColumns = [
  'call_id',
  'calling_number',
  'calling_device',
  'dialled_number',
  'original_called_number',
  'final_called_number',
  'called_device',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'cause',
  'q850_cause',
  'sip_status',
  'released_by',
  'redirections',
] as const;

/** CSV (RFC 4180) with a header row; times in ISO 8601 UTC, redirections as from>to:reason;… */
export function callRecordsCsv(records: readonly StoredCallRecord[]): string {
  return stringify(
    records.map((r) => [
      r.callId,
      r.callingNumber,
      r.callingDevice ?? '',
      r.dialledNumber,
      r.originalCalledNumber,
      r.finalCalledNumber,
      r.calledDevice ?? '',
      r.startedAt.toISOString(),
      r.answeredAt?.toISOString() ?? '',
      r.endedAt.toISOString(),
      r.answeredAt === undefined ? 0 : Math.round((r.endedAt.getTime() - r.answeredAt.getTime()) / 1000),
      r.cause.reason,
      r.cause.q850,
      r.cause.sipStatus,
      r.releasedBy,
      r.redirections.map((d) => `${d.from}>${d.to}:${d.reason}`).join(';'),
    ]),
    { header: true, columns: [...callRecordCsvColumns], record_delimiter: 'windows' },
  );
}
