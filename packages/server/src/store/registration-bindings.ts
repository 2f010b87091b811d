import { gt, inArray, lte } from 'drizzle-orm';
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
    const devices = [...batch.keys()];
    const rows = [...batch.values()].flat().map((binding) => ({
      deviceName: binding.deviceName,
      contact: binding.contact,
      callId: binding.callId,
      cseq: binding.cseq,
      expiresAt: binding.expiresAt,
      userAgent: binding.userAgent ?? null,
      sourceProtocol: binding.source.protocol,
      sourceAddress: binding.source.address,
      sourcePort: binding.source.port,
      localAddress: binding.source.localAddress ?? null,
      q: binding.q ?? null,
    }));
    try {
      await this.#db.transaction(async (tx) => {
        await tx.delete(registrationBindings).where(inArray(registrationBindings.deviceName, devices));
        if (rows.length > 0) await tx.insert(registrationBindings).values(rows);
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
