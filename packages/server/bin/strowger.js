#!/usr/bin/env node
// The `strowger` command. This file is committed, not compiled, so that `npm ci` on a fresh clone
// links the command even though the TypeScript has not been built yet (npm links a package's bin at
// install time only if the file exists then). It loads the compiled command line, or says how to
// build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'strowger: the command line is not built yet (packages/server/dist is missing).\n' +
      'Run "npm run build" in the checkout (or "npm start", which builds first), then run this command again.',
  );
  process.exit(1);
}
await import(cli.href);
