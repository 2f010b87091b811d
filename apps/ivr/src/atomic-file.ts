import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The prefix of a file being written; a crash may leave one behind, and `isPartialFile` finds it. */
const partialPrefix = '.partial-';

export const isPartialFile = (name: string): boolean => basename(name).startsWith(partialPrefix);

/**
 * Writes a file so that a reader (or a restart after a crash) sees the old contents or the new, never
 * a mixture: the data goes to a temporary file beside it, is flushed to the disk, and then renamed
 * over the old name (rename is atomic within a directory), and the directory is flushed so the
 * rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const partial = join(dirname(file), `${partialPrefix}${basename(file)}.${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(partial, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file));
}

/** Flushes a directory's entries (a rename into it, a new file) to the disk. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
