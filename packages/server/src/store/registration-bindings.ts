import { gt, lte, sql } from 'drizzle-orm';
import type { Logger } from '../core/index.js';
import type { Database } from './database.js';
import { registrationBindings } from './schema.js';

/** One SIP registration binding as the store keeps it (RFC 3261 §10.3). */
export interface StoredBinding {
  deviceName: string;
  /** The Contact URI as the phone sent it. */
  contact: string;
  callId: string;
  cseq: number;
  expiresAt: Date;
  userAgent: string | undefined;
  source: { protocol: string; address: string; port: number; localAddress?: string };
  q: number | undefined;
}

const flushDelayMs = 200;
const devicesPerWrite = 200;
const retryDelayMs = 5000;

/**
 * Writes registration bindings behind the registrar: `saveDevice` only notes a device's current
 * bindings, and every device noted since the last write goes to the database in one transaction, so
 * a REGISTER never waits on storage and a burst of re-registrations costs one write. Only the latest
 * state of each device is kept; a failed write stays noted and is tried again.
 */
export class RegistrationBindingWriter {
  readonly #db: Database;
  readonly #logger: Logger;
  #pending = new Map<string, readonly StoredBinding[]>();
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /** Notes the complete current bindings of `deviceName` (none: the device is unregistered). */
  saveDevice(deviceName: string, bindings: readonly StoredBinding[]): void {
    this.#pending.set(deviceName, bindings);
    this.#timer ??= setTimeout(() => this.#flushLogged(), flushDelayMs).unref();
  }

  get pendingDevices(): number {
    return this.#pending.size;
  }

  /** Writes everything noted so far; resolves when stored (or failed and still noted). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#chain = this.#chain.then(() => this.#write());
    return this.#chain;
  }

  #flushLogged(): void {
    // #write reports its own failures; nothing is left to reject.
    this.flush().catch((error: unknown) => this.#logger.error({ err: error }, 'registration bindings not stored'));
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    // A few hundred devices a statement: the driver turns each array into its text form in one go,
    // and a thousand phones' worth at once held the event loop for over 10 ms.
    const devices = [...batch.keys()];
    for (let start = 0; start < devices.length; start += devicesPerWrite) {
      const chunk = new Map(devices.slice(start, start + devicesPerWrite).map((name) => [name, batch.get(name)!]));
      await this.#writeChunk(chunk);
    }
  }

  async #writeChunk(batch: Map<string, readonly StoredBinding[]>): Promise<void> {
    const devices = [...batch.keys()];
    const bindings = [...batch.values()].flat();
    // One array parameter per column rather than drizzle's rows × 11 parameters: a thousand phones
    // refreshing together made that a query whose building held the event loop for milliseconds.
    const column = <T>(pick: (binding: StoredBinding) => T) => sql.param(bindings.map(pick));
    try {
      await this.#db.transaction(async (tx) => {
        await tx.execute(sql`DELETE FROM registration_bindings WHERE device_name = ANY(${sql.param(devices)}::text[])`);
        if (bindings.length === 0) return;
        await tx.execute(sql`
          INSERT INTO registration_bindings (device_name, contact, call_id, cseq, expires_at, user_agent,
            source_protocol, source_address, source_port, local_address, q)
          SELECT * FROM unnest(
            ${column((b) => b.deviceName)}::text[],
            ${column((b) => b.contact)}::text[],
            ${column((b) => b.callId)}::text[],
            ${column((b) => b.cseq)}::bigint[],
            ${column((b) => b.expiresAt.toISOString())}::timestamptz[],
            ${column((b) => b.userAgent ?? null)}::text[],
            ${column((b) => b.source.protocol)}::text[],
            ${column((b) => b.source.address)}::text[],
            ${column((b) => b.source.port)}::integer[],
            ${column((b) => b.source.localAddress ?? null)}::text[],
            ${column((b) => b.q ?? null)}::double precision[]
          )`);
      });
    } catch (error) {
      this.#logger.error(
        { err: error, devices: devices.length },
        'registration bindings could not be stored; they are tried again (phones stay registered meanwhile)',
      );
      // Newer state noted meanwhile wins over the failed batch.
      for (const [deviceName, bindings] of batch) {
        if (!this.#pending.has(deviceName)) this.#pending.set(deviceName, bindings);
      }
      this.#timer ??= setTimeout(() => this.#flushLogged(), retryDelayMs).unref();
    }
  }
}

/** The bindings still valid at `now`; lapsed ones are deleted on the way. */
export async function loadRegistrationBindings(db: Database, now: Date): Promise<StoredBinding[]> {
  await db.delete(registrationBindings).where(lte(registrationBindings.expiresAt, now));
  const rows = await db.select().from(registrationBindings).where(gt(registrationBindings.expiresAt, now));
  return rows.map((row) => ({
    deviceName: row.deviceName,
    contact: row.contact,
    callId: row.callId,
    cseq: row.cseq,
    expiresAt: row.expiresAt,
    userAgent: row.userAgent ?? undefined,
    source: {
      protocol: row.sourceProtocol,
      address: row.sourceAddress,
      port: row.sourcePort,
      ...(row.localAddress === null ? {} : { localAddress: row.localAddress }),
    },
    q: row.q ?? undefined,
  }));
}
