import { randomBytes } from 'node:crypto';
import { ErrorCode, StrowgerError, type Logger } from '../core/index.js';
import type { Store } from '../store/index.js';

/**
 * There is no default password. On the first start (no admin account yet) the account `admin` is
 * made with the given password (STROWGER_ADMIN_PASSWORD, for automation) or a random one, which is
 * returned to be printed once; only its hash is kept.
 */
export async function ensureFirstAdmin(
  store: Store,
  password: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  if ((await store.adminAccounts.count()) > 0) return undefined;
  const chosen = password !== undefined && password !== '' ? password : undefined;
  if (chosen !== undefined && chosen.length < 12) {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `STROWGER_ADMIN_PASSWORD has ${chosen.length} characters; give the first admin account a password of at least 12 (or unset it for a random one)`,
    );
  }
  const initial = chosen ?? randomBytes(18).toString('base64url');
  await store.adminAccounts.create({ username: 'admin', password: initial, role: 'admin' }, 'first start');
  logger.warn(
    { account: 'admin' },
    chosen === undefined
      ? 'first start: admin account "admin" created with a random password, printed once on standard output'
      : 'first start: admin account "admin" created with the password from STROWGER_ADMIN_PASSWORD',
  );
  return chosen === undefined ? initial : undefined;
}
