import { mkdirSync, accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { ErrorCode, StrowgerError } from '../core/index.js';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Where the store's data lives: an embedded PostgreSQL directory, or a PostgreSQL server URL. */
export type StoreLocation = { dataDir: string } | { url: string };

export const CHANGE_CHANNEL = 'strowger_config';

/** The migrations folder, two levels above this module in both `src/store` and `dist/store`. */
const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

export interface OpenDatabase {
  readonly db: Database;
  readonly kind: 'embedded' | 'server';
  /** Subscribes to change notifications from every connection on the database. */
  listen(onVersion: (version: number) => void): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(location: StoreLocation): Promise<OpenDatabase> {
  if (!existsSync(migrationsFolder)) {
    throw new StrowgerError(
      ErrorCode.Internal,
      `the database migrations are missing (${migrationsFolder}); reinstall Strowger`,
    );
  }
  return 'url' in location ? openServer(location.url) : openEmbedded(location.dataDir);
}

async function openEmbedded(dataDir: string): Promise<OpenDatabase> {
  const directory = resolve(dataDir);
  try {
    mkdirSync(directory, { recursive: true });
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the data directory ${directory} cannot be created or written (${(error as Error).message}); choose another with --data`,
      { cause: error },
    );
  }
  let client: PGlite;
  try {
    client = new PGlite(join(directory, 'pg'));
    await client.waitReady;
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the embedded database in ${directory} could not be opened (${(error as Error).message}); ` +
        'it may be in use by another process or made by another version — stop other Strowger processes or use a new --data directory',
      { cause: error },
    );
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  await migratePglite(db as never, { migrationsFolder });
  return {
    db,
    kind: 'embedded',
    async listen(onVersion) {
      await client.listen(CHANGE_CHANNEL, (payload) => onVersion(Number(payload)));
    },
    async close() {
      await client.close();
    },
  };
}

async function openServer(url: string): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let listener: pg.Client | undefined;
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `cannot reach PostgreSQL at ${redact(url)} (${(error as Error).message}); check that the server runs and the URL, user and password are right`,
      { cause: error },
    );
  }
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  // Two processes starting at once must not both migrate: a session advisory lock, held on one
  // connection for the duration, orders them.
  const lockHolder = await pool.connect();
  try {
    await lockHolder.query('select pg_advisory_lock(7272748)');
    await migratePg(db as never, { migrationsFolder });
  } finally {
    await lockHolder.query('select pg_advisory_unlock(7272748)').catch(() => undefined);
    lockHolder.release();
  }
  return {
    db,
    kind: 'server',
    async listen(onVersion) {
      listener = new pg.Client({ connectionString: url });
      listener.on('error', () => undefined);
      await listener.connect();
      listener.on('notification', (message) => {
        if (message.channel === CHANGE_CHANNEL) onVersion(Number(message.payload));
      });
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
    },
    async close() {
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
