import { readFile, writeFile } from 'node:fs/promises';
import { ErrorCode, StrowgerError } from '@strowger/core';
import type { AudioFiles } from '../transport.js';

/** Prompts and recordings as files on disk. */
export const nodeAudioFiles: AudioFiles = {
  async read(name) {
    try {
      return await readFile(name);
    } catch (error) {
      throw new StrowgerError(ErrorCode.NotFound, `cannot read ${name} (${(error as Error).message}); check the path`, {
        cause: error,
      });
    }
  },
  async write(name, data) {
    try {
      await writeFile(name, data);
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `cannot write ${name} (${(error as Error).message}); check that its folder exists and is writable`,
        { cause: error },
      );
    }
  },
};
