import { asc, eq } from 'drizzle-orm';
import type { Database } from './database.js';
import * as t from './schema.js';

/** An Extension Mobility login as the store keeps it: who, with which profile, on which phone, until when. */
export interface StoredMobilityLogin {
  readonly device: string;
  readonly userId: string;
  readonly profile: string;
  readonly loggedInAt: Date;
  /** When the maximum login time ends it; undefined for no limit. */
  readonly expiresAt: Date | undefined;
}

/** Records a login, replacing whatever login the device had (one login per phone, as in CUCM). */
export async function saveMobilityLogin(db: Database, login: StoredMobilityLogin): Promise<void> {
  const row = {
    deviceName: login.device,
    userId: login.userId,
    profileName: login.profile,
    loggedInAt: login.loggedInAt,
    expiresAt: login.expiresAt ?? null,
  };
  await db
    .insert(t.extensionMobilityLogins)
    .values(row)
    .onConflictDoUpdate({ target: t.extensionMobilityLogins.deviceName, set: row });
}

export async function deleteMobilityLogin(db: Database, device: string): Promise<void> {
  await db.delete(t.extensionMobilityLogins).where(eq(t.extensionMobilityLogins.deviceName, device));
}

/** Every stored login, by device name. Expired ones are returned too: the caller ends them, with events. */
export async function loadMobilityLogins(db: Database): Promise<StoredMobilityLogin[]> {
  const rows = await db.select().from(t.extensionMobilityLogins).orderBy(asc(t.extensionMobilityLogins.deviceName));
  return rows.map((row) => ({
    device: row.deviceName,
    userId: row.userId,
    profile: row.profileName,
    loggedInAt: row.loggedInAt,
    expiresAt: row.expiresAt ?? undefined,
  }));
}

/** An Extension Mobility login (create) or logout (delete) as the audit log keeps it. */
export interface MobilityAuditEntry {
  /** Who: the admin account, "local command line", "end user alice" at a phone, or "system". */
  readonly actor: string;
  readonly action: 'create' | 'delete';
  /** The phone's device name. */
  readonly key: string;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  /** Who logged in or out where, and how (from the phone, the admin API, the command line, the maximum login time). */
  readonly note: string;
}

/** The resource name Extension Mobility logins have in the audit log. */
export const mobilityAuditResource = 'extension-mobility-login';

export async function auditMobility(db: Database, entry: MobilityAuditEntry): Promise<void> {
  await db.insert(t.auditLog).values({ ...entry, resource: mobilityAuditResource });
}
