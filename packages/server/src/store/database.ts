import { mkdirSync, accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from '../core/index.js';
import { ErrorCode, StrowgerError } from '../core/index.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Where the store's data lives: a data directory for the embedded PostgreSQL, or a PostgreSQL server URL. */
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

export async function openDatabase(location: StoreLocation, logger: Logger): Promise<OpenDatabase> {
  if (!existsSync(migrationsFolder)) {
    throw new StrowgerError(
      ErrorCode.Internal,
      `the database migrations are missing (${migrationsFolder}); reinstall Strowger`,
    );
  }
  return 'url' in location ? openServer(location.url) : openEmbedded(location.dataDir, logger);
}

/**
 * The embedded database is PostgreSQL run beside the server (see embedded-postgres.ts), reached on
 * its Unix socket through the same driver, SQL and migrations as a PostgreSQL server.
 */
async function openEmbedded(dataDir: string, logger: Logger): Promise<OpenDatabase> {
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
  const server = await startEmbeddedPostgres(directory, logger);
  try {
    // Few connections: each costs a PostgreSQL process, and one server process is the only client.
    const database = await connect(server.connection, 'the embedded PostgreSQL', 2);
    return {
      ...database,
      kind: 'embedded',
      async close() {
        await database.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function openServer(url: string): Promise<OpenDatabase> {
  return { ...(await connect({ connectionString: url }, `PostgreSQL at ${redact(url)}`, 4)), kind: 'server' };
}

async function connect(
  connection: pg.ClientConfig,
  description: string,
  poolSize: number,
): Promise<Omit<OpenDatabase, 'kind'>> {
  const pool = new pg.Pool({ ...connection, max: poolSize });
  let listener: pg.Client | undefined;
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `cannot reach ${description} (${(error as Error).message}); check that the server runs and the URL, user and password are right`,
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
    async listen(onVersion) {
      listener = new pg.Client(connection);
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
