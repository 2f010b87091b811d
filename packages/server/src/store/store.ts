import type { Logger } from '../core/index.js';
import { silentLogger, TypedEmitter } from '../core/index.js';
import { AdminAccounts } from './admin-accounts.js';
import { applyConfig, type ApplyOptions, type ApplyResult } from './apply-config.js';
import { listAuditEntries, type AuditEntry, type AuditQuery } from './audit-log.js';
import { CallRecordWriter, listCallRecords, type CallRecordQuery, type StoredCallRecord } from './call-records.js';
import type { ConfigDocument } from './config/config-schema.js';
import { exportConfigYaml } from './config/export-config.js';
import { openDatabase, type OpenDatabase, type StoreLocation } from './database.js';
import {
  auditMobility,
  deleteMobilityLogin,
  loadMobilityLogins,
  type MobilityAuditEntry,
  saveMobilityLogin,
  type StoredMobilityLogin,
} from './extension-mobility-logins.js';
import { readConfig } from './read-config.js';
import { settings } from './schema.js';
import { loadRegistrationBindings, RegistrationBindingWriter, type StoredBinding } from './registration-bindings.js';
import type { ConfigSnapshot } from './snapshot.js';

interface StoreEvents extends Record<string, unknown> {
  change: number;
}

/**
 * The configuration store: durable, transactional, and a source of change notifications. Callers
 * keep a snapshot in memory and reload it when `onChange` fires; nothing here is queried per call.
 */
export class Store {
  readonly #database: OpenDatabase;
  readonly #events: TypedEmitter<StoreEvents>;
  /** Call detail records, written in batches behind the calls. */
  readonly callRecords: CallRecordWriter;
  /** SIP registration bindings, written behind the registrar and read back at start. */
  readonly registrations: RegistrationBindingWriter;
  /** Admin accounts of the HTTP API and their bearer tokens. */
  readonly adminAccounts: AdminAccounts;
  #lastVersion = -1;
  #closed = false;

  private constructor(database: OpenDatabase, logger: Logger) {
    this.#database = database;
    this.#events = new TypedEmitter(logger);
    this.callRecords = new CallRecordWriter(database.db, logger);
    this.registrations = new RegistrationBindingWriter(database.db, logger);
    this.adminAccounts = new AdminAccounts(database.db);
  }

  static async open(location: StoreLocation, deps: { logger?: Logger } = {}): Promise<Store> {
    const logger = (deps.logger ?? silentLogger).child({ layer: 'store' });
    const database = await openDatabase(location, logger);
    const store = new Store(database, logger);
    await database.listen((version) => store.#announce(version));
    return store;
  }

  get kind(): 'embedded' | 'server' {
    return this.#database.kind;
  }

  /** The configuration version alone: one small query, to tell whether a snapshot is still current. */
  async configVersion(): Promise<number> {
    const [row] = await this.#database.db.select({ version: settings.configVersion }).from(settings);
    return row?.version ?? 0;
  }

  loadConfig(): Promise<ConfigSnapshot> {
    return readConfig(this.#database.db);
  }

  /** Applies a document in one transaction; see `applyConfig`. `source` names the file in errors. */
  async applyConfig(doc: ConfigDocument, options: ApplyOptions = {}): Promise<ApplyResult> {
    const result = await applyConfig(this.#database.db, readConfig, doc, options);
    // The database notification may arrive later; in-process listeners hear of the commit at once.
    if (result.changed && options.dryRun !== true) this.#announce(result.version);
    return result;
  }

  async exportConfig(): Promise<string> {
    return exportConfigYaml(await this.loadConfig());
  }

  /** Audit entries of configuration and account changes, newest first. */
  listAuditEntries(query: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
    return listAuditEntries(this.#database.db, query);
  }

  /** Called with the new version after every committed change, from this process or another. */
  onChange(listener: (version: number) => void): () => void {
    return this.#events.on('change', listener);
  }

  /** Stored call records, oldest first (ended within the query's window). */
  async listCallRecords(query: CallRecordQuery = {}): Promise<StoredCallRecord[]> {
    await this.callRecords.flush();
    return listCallRecords(this.#database.db, query);
  }

  /** The registration bindings stored before, still unexpired at `now`; expired ones are dropped. */
  async loadRegistrations(now: Date = new Date()): Promise<StoredBinding[]> {
    await this.registrations.flush();
    return loadRegistrationBindings(this.#database.db, now);
  }

  /** Extension Mobility logins in force (kept across restarts); see `StoredMobilityLogin`. */
  loadMobilityLogins(): Promise<StoredMobilityLogin[]> {
    return loadMobilityLogins(this.#database.db);
  }

  saveMobilityLogin(login: StoredMobilityLogin): Promise<void> {
    return saveMobilityLogin(this.#database.db, login);
  }

  deleteMobilityLogin(device: string): Promise<void> {
    return deleteMobilityLogin(this.#database.db, device);
  }

  /** Writes an Extension Mobility login or logout to the audit log (resource `extension-mobility-login`). */
  auditMobility(entry: MobilityAuditEntry): Promise<void> {
    return auditMobility(this.#database.db, entry);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.callRecords.flush();
    await this.registrations.flush();
    await this.#database.close();
  }

  #announce(version: number): void {
    if (!Number.isFinite(version) || version <= this.#lastVersion) return;
    this.#lastVersion = version;
    this.#events.emit('change', version);
  }
}

export function openStore(location: StoreLocation, deps: { logger?: Logger } = {}): Promise<Store> {
  return Store.open(location, deps);
}
