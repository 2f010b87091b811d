import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import type { DeviceConfig, EndUserConfig, LineConfig } from './snapshot.js';

/**
 * Lines, devices and end users written many at a statement: one array parameter per column,
 * unnested by PostgreSQL (as the registration bindings and call records are written), so applying
 * ten thousand phones is a few dozen statements rather than tens of thousands of round trips.
 */

/** Objects per statement: large enough to need few round trips, small enough not to hold the event loop. */
export const objectsPerStatement = 1000;

/** Called after each statement with how many objects of its kind are written so far. */
export type WriteProgress = (written: number) => void;

function chunksOf<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += objectsPerStatement)
    chunks.push(items.slice(start, start + objectsPerStatement));
  return chunks;
}

/** One array parameter holding one column of `items`. */
function column<T>(items: readonly T[], pick: (item: T) => unknown, type: string): SQL {
  return sql`${sql.param(items.map(pick))}::${sql.raw(type)}[]`;
}

export async function writeLines(db: Database, lines: readonly LineConfig[], progress?: WriteProgress): Promise<void> {
  let written = 0;
  for (const chunk of chunksOf(lines)) {
    await db.execute(sql`
      INSERT INTO lines (dn, description, allow_cti_control, forward, no_answer_seconds, max_calls, busy_trigger,
        voicemail_profile, pickup_group)
      SELECT * FROM unnest(
        ${column(chunk, (l) => l.dn, 'text')},
        ${column(chunk, (l) => l.description ?? null, 'text')},
        ${column(chunk, (l) => l.allowCtiControl, 'boolean')},
        ${column(chunk, (l) => JSON.stringify(l.forward), 'jsonb')},
        ${column(chunk, (l) => l.noAnswerSeconds, 'integer')},
        ${column(chunk, (l) => l.maxCalls, 'integer')},
        ${column(chunk, (l) => l.busyTrigger, 'integer')},
        ${column(chunk, (l) => l.voicemailProfile ?? null, 'text')},
        ${column(chunk, (l) => l.pickupGroup ?? null, 'text')}
      )
      ON CONFLICT (dn) DO UPDATE SET
        description = excluded.description, allow_cti_control = excluded.allow_cti_control,
        forward = excluded.forward, no_answer_seconds = excluded.no_answer_seconds, max_calls = excluded.max_calls,
        busy_trigger = excluded.busy_trigger, voicemail_profile = excluded.voicemail_profile,
        pickup_group = excluded.pickup_group`);
    written += chunk.length;
    progress?.(written);
  }
}

export async function writeDevices(
  db: Database,
  devices: readonly DeviceConfig[],
  progress?: WriteProgress,
): Promise<void> {
  let written = 0;
  for (const chunk of chunksOf(devices)) {
    await db.execute(sql`
      INSERT INTO devices (name, type, description, allow_cti_control, extension_mobility, auto_answer, sip_username,
        sip_ha1_realm, sip_ha1_md5, sip_ha1_sha256)
      SELECT * FROM unnest(
        ${column(chunk, (d) => d.name, 'text')},
        ${column(chunk, (d) => d.type, 'text')},
        ${column(chunk, (d) => d.description ?? null, 'text')},
        ${column(chunk, (d) => d.allowCtiControl, 'boolean')},
        ${column(chunk, (d) => d.extensionMobility ?? false, 'boolean')},
        ${column(chunk, (d) => d.autoAnswer ?? 'both', 'text')},
        ${column(chunk, (d) => d.sip?.username ?? null, 'text')},
        ${column(chunk, (d) => d.sip?.ha1.realm ?? null, 'text')},
        ${column(chunk, (d) => d.sip?.ha1.md5 ?? null, 'text')},
        ${column(chunk, (d) => d.sip?.ha1.sha256 ?? null, 'text')}
      )
      ON CONFLICT (name) DO UPDATE SET
        type = excluded.type, description = excluded.description, allow_cti_control = excluded.allow_cti_control,
        extension_mobility = excluded.extension_mobility, auto_answer = excluded.auto_answer,
        sip_username = excluded.sip_username,
        sip_ha1_realm = excluded.sip_ha1_realm, sip_ha1_md5 = excluded.sip_ha1_md5,
        sip_ha1_sha256 = excluded.sip_ha1_sha256`);
    await replaceLinks(
      db,
      'device_lines',
      'device_name',
      'dn',
      chunk,
      (d) => d.name,
      (d) => d.lines,
      'line_index',
    );
    written += chunk.length;
    progress?.(written);
  }
}

export async function writeEndUsers(
  db: Database,
  users: readonly EndUserConfig[],
  progress?: WriteProgress,
): Promise<void> {
  let written = 0;
  for (const chunk of chunksOf(users)) {
    await db.execute(sql`
      INSERT INTO end_users (user_id, display_name, password_hash, pin_hash, primary_extension, em_enabled,
        em_default_profile, em_allow_cti_control)
      SELECT * FROM unnest(
        ${column(chunk, (u) => u.userId, 'text')},
        ${column(chunk, (u) => u.displayName ?? null, 'text')},
        ${column(chunk, (u) => u.passwordHash ?? null, 'text')},
        ${column(chunk, (u) => u.pinHash ?? null, 'text')},
        ${column(chunk, (u) => u.primaryExtension ?? null, 'text')},
        ${column(chunk, (u) => u.extensionMobility !== undefined, 'boolean')},
        ${column(chunk, (u) => u.extensionMobility?.defaultProfile ?? null, 'text')},
        ${column(chunk, (u) => u.extensionMobility?.allowCtiControl ?? true, 'boolean')}
      )
      ON CONFLICT (user_id) DO UPDATE SET
        display_name = excluded.display_name, password_hash = excluded.password_hash, pin_hash = excluded.pin_hash,
        primary_extension = excluded.primary_extension, em_enabled = excluded.em_enabled,
        em_default_profile = excluded.em_default_profile, em_allow_cti_control = excluded.em_allow_cti_control`);
    const id = (u: EndUserConfig) => u.userId;
    await replaceLinks(db, 'end_user_devices', 'user_id', 'device_name', chunk, id, (u) => u.devices);
    await replaceLinks(db, 'end_user_groups', 'user_id', 'group_name', chunk, id, (u) => u.groups);
    await replaceLinks(db, 'end_user_profiles', 'user_id', 'profile_name', chunk, id, (u) =>
      u.extensionMobility === undefined ? [] : u.extensionMobility.profiles,
    );
    await replaceLinks(db, 'end_user_cti_profiles', 'user_id', 'profile_name', chunk, id, (u) => [
      ...(u.ctiControlledProfiles ?? []),
    ]);
    written += chunk.length;
    progress?.(written);
  }
}

/**
 * Replaces the links of each owner in `owners` (a device's lines, a user's devices or groups): its
 * old links are deleted and the new ones inserted, two statements for the whole chunk. With
 * `positionColumn` the links are numbered from 1 in the order given (a device's line index).
 */
async function replaceLinks<T>(
  db: Database,
  table: string,
  ownerColumn: string,
  targetColumn: string,
  owners: readonly T[],
  ownerOf: (owner: T) => string,
  targetsOf: (owner: T) => readonly string[],
  positionColumn?: string,
): Promise<void> {
  await db.execute(
    sql`DELETE FROM ${sql.identifier(table)} WHERE ${sql.identifier(ownerColumn)} = ANY(${sql.param(owners.map(ownerOf))}::text[])`,
  );
  const links = owners.flatMap((owner) =>
    targetsOf(owner).map((target, index) => ({ owner: ownerOf(owner), target, position: index + 1 })),
  );
  if (links.length === 0) return;
  const ownerIds = column(links, (l) => l.owner, 'text');
  const targets = column(links, (l) => l.target, 'text');
  await db.execute(
    positionColumn === undefined
      ? sql`INSERT INTO ${sql.identifier(table)} (${sql.identifier(ownerColumn)}, ${sql.identifier(targetColumn)})
          SELECT * FROM unnest(${ownerIds}, ${targets})`
      : sql`INSERT INTO ${sql.identifier(table)} (${sql.identifier(ownerColumn)}, ${sql.identifier(targetColumn)},
            ${sql.identifier(positionColumn)})
          SELECT * FROM unnest(${ownerIds}, ${targets}, ${column(links, (l) => l.position, 'integer')})`,
  );
}
