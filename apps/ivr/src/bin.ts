#!/usr/bin/env node
/** The `strowger-ivr` command. */
import { ivrCommand } from './cli.js';

ivrCommand()
  .parseAsync()
  .catch((err: unknown) => {
    process.stderr.write(`strowger-ivr: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
