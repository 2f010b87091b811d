import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { isWildcardAddress } from '../core/index.js';

const fileName = 'admin-api.json';

/** What the running server leaves for the command line on the same machine. */
export interface LocalCredential {
  /** Where the admin API listens, as this machine reaches it. */
  url: string;
  /** A bearer token with full admin rights, valid while this server runs. */
  token: string;
  pid: number;
}

/**
 * Writes the credential into the data directory, readable by its owner only (mode 0600): whoever may
 * read the server's data may already do anything to it, so they may use its API too. A new token is
 * made at every start and the file is removed at stop.
 */
export function writeLocalCredential(dataDir: string, credential: LocalCredential): { remove(): void } {
  const path = join(resolve(dataDir), fileName);
  writeFileSync(path, `${JSON.stringify(credential)}\n`, { mode: 0o600 });
  // A file left by an earlier run keeps its old mode through writeFileSync; make sure of it.
  chmodSync(path, 0o600);
  return { remove: () => rmSync(path, { force: true }) };
}

/** The credential a running server left in `dataDir`, or undefined when there is none to read. */
export function readLocalCredential(dataDir: string): LocalCredential | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(resolve(dataDir), fileName), 'utf8'));
    if (
      typeof value === 'object' &&
      value !== null &&
      'url' in value &&
      'token' in value &&
      'pid' in value &&
      typeof value.url === 'string' &&
      typeof value.token === 'string' &&
      typeof value.pid === 'number'
    ) {
      return { url: value.url, token: value.token, pid: value.pid };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The API's URL from this machine: loopback when listening everywhere. */
export function localApiUrl(bind: string, port: number): string {
  const host = isWildcardAddress(bind) ? '127.0.0.1' : bind;
  return `http://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}
