import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { openStore } from '../../store/index.js';
import { acquireDataDirLock } from '../data-dir-lock.js';

export interface StoreLocation {
  data: string;
  db?: string;
}

/** `--data` and `--db`, shared by every command that opens the configuration store. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--data <dir>', 'data directory of the embedded database').env('STROWGER_DATA').default('./data'),
    )
    .addOption(
      new Option(
        '--db <url>',
        'a PostgreSQL server (postgres://user:password@host:port/database) instead of the embedded database',
      ).env('STROWGER_DB'),
    );
}

export function describeStore(location: StoreLocation): string {
  return location.db === undefined
    ? `embedded PostgreSQL in ${location.data}`
    : `PostgreSQL at ${redactUrl(location.db)}`;
}

/** A database URL fit for a log line: the password is never printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Opens the store for one command: the data directory is locked while it runs, and closed after. */
export async function withStore<T>(
  location: StoreLocation,
  work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const lock = location.db === undefined ? acquireDataDirLock(location.data) : { release() {} };
  try {
    const store = await openStore(location.db === undefined ? { dataDir: location.data } : { url: location.db });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  } finally {
    lock.release();
  }
}

/** Who the audit log names for a change made on the database directly from this machine. */
export function commandLineActor(): string {
  let user = 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the change is still recorded, without a name.
  }
  return `command line (${user})`;
}
