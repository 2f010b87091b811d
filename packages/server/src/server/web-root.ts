import { fileURLToPath } from 'node:url';

/**
 * Where the web UI's build is in a checkout: packages/web/dist beside this package. The same path
 * holds from the compiled server (dist/server) and from its sources (src/server), which tests run.
 */
export const defaultWebRoot = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
