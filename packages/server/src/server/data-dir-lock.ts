import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, StrowgerError } from '../core/index.js';

const lockFileName = 'strowger.pid';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database must be opened by one process at a time: two writers corrupt it. The running
 * server holds a pid file in the data directory; other commands refuse to open the directory meanwhile.
 */
export function acquireDataDirLock(dataDir: string): { release(): void } {
  const directory = resolve(dataDir);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, lockFileName);
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(path, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (holder !== undefined && Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the data directory ${directory} is in use by a running Strowger (pid ${holder}); stop it first, ` +
        `or run Strowger on a PostgreSQL server (--db) so several processes can share the configuration`,
    );
  }
  writeFileSync(path, `${process.pid}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(path, { force: true });
    },
  };
}
