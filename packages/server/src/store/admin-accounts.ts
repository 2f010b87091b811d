import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { ErrorCode, StrowgerError } from '../core/index.js';
import type { Database } from './database.js';
import * as t from './schema.js';
import { hashPassword } from './secrets.js';

export type AdminRole = 'admin' | 'read-only';

export interface AdminAccount {
  username: string;
  role: AdminRole;
  createdAt: Date;
}

export interface StoredAdminAccount extends AdminAccount {
  passwordHash: string;
}

export interface AdminTokenInfo {
  id: string;
  username: string;
  description: string;
  createdAt: Date;
}

const roleOf = (role: string): AdminRole => (role === 'admin' ? 'admin' : 'read-only');

/** A token's stored form: SHA-256, hex. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The admin accounts, their bearer tokens, and the audit entries their changes leave. Every change
 * runs in one transaction with its audit entry, as configuration changes do.
 */
export class AdminAccounts {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async count(): Promise<number> {
    const [row] = await this.#db.select({ n: count() }).from(t.adminAccounts);
    return row?.n ?? 0;
  }

  async list(): Promise<AdminAccount[]> {
    const rows = await this.#db.select().from(t.adminAccounts).orderBy(asc(t.adminAccounts.username));
    return rows.map((row) => ({ username: row.username, role: roleOf(row.role), createdAt: row.createdAt }));
  }

  async find(username: string): Promise<StoredAdminAccount | undefined> {
    const [row] = await this.#db.select().from(t.adminAccounts).where(eq(t.adminAccounts.username, username));
    return row === undefined ? undefined : { ...row, role: roleOf(row.role) };
  }

  /** Creates an account; INVALID_STATE when the name is taken. */
  async create(account: { username: string; password: string; role: AdminRole }, actor: string): Promise<AdminAccount> {
    const passwordHash = await hashPassword(account.password);
    return this.#db.transaction(async (tx) => {
      const [row] = await tx
        .insert(t.adminAccounts)
        .values({ username: account.username, passwordHash, role: account.role })
        .onConflictDoNothing()
        .returning();
      if (row === undefined) {
        throw new StrowgerError(
          ErrorCode.InvalidState,
          `an admin account named ${account.username} exists already; choose another name or change that one`,
        );
      }
      const created = { username: row.username, role: roleOf(row.role), createdAt: row.createdAt };
      await tx.insert(t.auditLog).values({
        actor,
        action: 'create',
        resource: 'admin-account',
        key: row.username,
        after: { username: row.username, role: row.role },
      });
      return created;
    });
  }

  /** Changes the role and/or the password; the last full admin cannot be made read-only. */
  async update(
    username: string,
    change: { role?: AdminRole | undefined; password?: string | undefined },
    actor: string,
  ): Promise<AdminAccount> {
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    return this.#db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(t.adminAccounts)
        .where(eq(t.adminAccounts.username, username))
        .for('update');
      if (before === undefined) throw notFound(username);
      if (change.role === 'read-only' && before.role === 'admin')
        await ensureAnotherAdmin(tx, username, 'made read-only');
      const [row] = await tx
        .update(t.adminAccounts)
        .set({
          ...(change.role === undefined ? {} : { role: change.role }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
        })
        .where(eq(t.adminAccounts.username, username))
        .returning();
      if (row === undefined) throw notFound(username);
      await tx.insert(t.auditLog).values({
        actor,
        action: 'update',
        resource: 'admin-account',
        key: username,
        before: { username, role: before.role },
        after: { username, role: row.role },
        note: passwordHash === undefined ? null : 'password changed',
      });
      return { username: row.username, role: roleOf(row.role), createdAt: row.createdAt };
    });
  }

  /** Deletes an account and its tokens; the last full admin cannot be deleted. */
  async delete(username: string, actor: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(t.adminAccounts)
        .where(eq(t.adminAccounts.username, username))
        .for('update');
      if (before === undefined) throw notFound(username);
      if (before.role === 'admin') await ensureAnotherAdmin(tx, username, 'deleted');
      await tx.delete(t.adminAccounts).where(eq(t.adminAccounts.username, username));
      await tx.insert(t.auditLog).values({
        actor,
        action: 'delete',
        resource: 'admin-account',
        key: username,
        before: { username, role: before.role },
      });
    });
  }

  /** Creates a bearer token for `username`; the token itself is returned once and never stored. */
  async createToken(username: string, description: string, actor: string): Promise<AdminTokenInfo & { token: string }> {
    const token = `stw_${randomBytes(32).toString('base64url')}`;
    const id = randomBytes(8).toString('hex');
    return this.#db.transaction(async (tx) => {
      const [row] = await tx
        .insert(t.adminTokens)
        .values({ id, username, tokenHash: tokenDigest(token), description })
        .returning();
      if (row === undefined) throw notFound(username);
      await tx.insert(t.auditLog).values({
        actor,
        action: 'create',
        resource: 'admin-token',
        key: id,
        after: { id, username, description },
      });
      return { id, username, description, createdAt: row.createdAt, token };
    });
  }

  /** The account a bearer token belongs to, or undefined for an unknown token. */
  async findByToken(token: string): Promise<StoredAdminAccount | undefined> {
    const [row] = await this.#db
      .select({ account: t.adminAccounts })
      .from(t.adminTokens)
      .innerJoin(t.adminAccounts, eq(t.adminAccounts.username, t.adminTokens.username))
      .where(eq(t.adminTokens.tokenHash, tokenDigest(token)));
    return row === undefined ? undefined : { ...row.account, role: roleOf(row.account.role) };
  }

  async listTokens(username?: string): Promise<AdminTokenInfo[]> {
    const rows = await this.#db
      .select()
      .from(t.adminTokens)
      .where(username === undefined ? undefined : eq(t.adminTokens.username, username))
      .orderBy(asc(t.adminTokens.createdAt));
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      description: row.description,
      createdAt: row.createdAt,
    }));
  }

  /** Revokes a token; `owner` limits it to that account's own tokens (a read-only admin revoking its own). */
  async deleteToken(id: string, actor: string, owner?: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const condition =
        owner === undefined
          ? eq(t.adminTokens.id, id)
          : and(eq(t.adminTokens.id, id), eq(t.adminTokens.username, owner));
      const [row] = await tx.delete(t.adminTokens).where(condition).returning();
      if (row === undefined) {
        throw new StrowgerError(ErrorCode.NotFound, `no token ${id}; GET /api/v1/auth/tokens lists the tokens`);
      }
      await tx.insert(t.auditLog).values({
        actor,
        action: 'delete',
        resource: 'admin-token',
        key: id,
        before: { id, username: row.username, description: row.description },
      });
    });
  }
}

async function ensureAnotherAdmin(tx: Pick<Database, 'select'>, username: string, what: string): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(t.adminAccounts)
    .where(and(eq(t.adminAccounts.role, 'admin'), ne(t.adminAccounts.username, username)));
  if ((row?.n ?? 0) === 0) {
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `${username} is the only full admin and cannot be ${what}; give another account the admin role first`,
    );
  }
}

function notFound(username: string): StrowgerError {
  return new StrowgerError(
    ErrorCode.NotFound,
    `no admin account named ${username}; GET /api/v1/admin-accounts lists the accounts`,
  );
}
