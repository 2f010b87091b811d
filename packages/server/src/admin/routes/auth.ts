import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { AdminAccounts } from '../../store/index.js';
import { sessionCookie, type Authenticator } from '../auth/authenticator.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { HttpProblem } from '../problem.js';
import { problemResponses, type AdminApp } from './config-objects.js';

const Role = Type.Union([Type.Literal('admin'), Type.Literal('read-only')], {
  description: 'admin: may change everything; read-only: may read everything but secrets.',
});
const Username = Type.String({
  pattern: '^[A-Za-z0-9_.@-]{1,64}$',
  description: 'Letters, digits, "_", ".", "@", "-".',
});
const NewPassword = Type.String({ minLength: 12, maxLength: 256, description: 'At least 12 characters.' });

const MeSchema = Type.Object({
  username: Type.String(),
  role: Role,
  via: Type.Union([Type.Literal('session'), Type.Literal('basic'), Type.Literal('bearer'), Type.Literal('local')]),
  csrfToken: Type.Optional(Type.String({ description: 'For a session: send it in X-CSRF-Token with every change.' })),
});

const TokenSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  description: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const me = (principal: Principal) => ({
  username: principal.username,
  role: principal.role,
  via: principal.via,
  ...(principal.csrfToken === undefined ? {} : { csrfToken: principal.csrfToken }),
});

function signedIn(principal: Principal | null): Principal {
  // The access check ran first; a handler of a non-public route always has a principal.
  if (principal === null) throw new HttpProblem(401, ErrorCode.AuthenticationFailed, 'sign in first');
  return principal;
}

/**
 * Signing in and out (the web UI's session cookie), who am I, changing one's own password, and
 * bearer tokens for scripts.
 */
export function registerAuthRoutes(app: AdminApp, auth: Authenticator, accounts: AdminAccounts | undefined): void {
  const tags = ['Authentication'];
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in: sets the session cookie (HttpOnly, SameSite=Strict) and returns the CSRF token',
        tags,
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const account = await auth.verifyPassword(request.body.username, request.body.password, request.ip);
      const session = auth.sessions.create(account.username);
      const secure = request.protocol === 'https' ? '; Secure' : '';
      const maxAge = Math.floor(auth.sessions.limits.absoluteMs / 1000);
      return reply
        .header(
          'Set-Cookie',
          `${sessionCookie}=${session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
        )
        .send({
          username: account.username,
          role: account.role,
          via: 'session' as const,
          csrfToken: session.csrfToken,
        });
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'self' },
      schema: {
        summary: 'Sign out: ends the session and clears its cookie',
        tags,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = signedIn(request.principal);
      if (principal.sessionId !== undefined) auth.sessions.end(principal.sessionId);
      return reply
        .header('Set-Cookie', `${sessionCookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`)
        .status(204)
        .send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: 'self' },
      schema: {
        summary: 'Who the credentials belong to, and their role',
        tags,
        response: { 200: MeSchema, ...problemResponses },
      },
    },
    async (request) => me(signedIn(request.principal)),
  );

  if (accounts === undefined) return;

  app.put(
    '/api/v1/auth/password',
    {
      config: { access: 'self' },
      schema: {
        summary: "Change one's own password (the current one is asked again)",
        tags,
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: NewPassword },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = signedIn(request.principal);
      if (principal.via === 'local') {
        throw new StrowgerError(
          ErrorCode.InvalidArgument,
          'the local credential has no password; change an account with PUT /api/v1/admin-accounts/NAME',
        );
      }
      await auth.verifyPassword(principal.username, request.body.currentPassword, request.ip);
      await accounts.update(principal.username, { password: request.body.newPassword }, actorOf(principal));
      auth.forget();
      auth.sessions.endAll(principal.username);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/tokens',
    {
      config: { access: 'self' },
      schema: {
        summary: 'API tokens: a full admin sees all, a read-only account its own',
        tags,
        response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const principal = signedIn(request.principal);
      const list = await accounts.listTokens(principal.role === 'admin' ? undefined : principal.username);
      return { items: list.map((token) => ({ ...token, createdAt: token.createdAt.toISOString() })) };
    },
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      config: { access: 'self' },
      schema: {
        summary:
          'Create an API token for yourself (a full admin may name another account); the token is shown only in this answer',
        tags,
        body: Type.Object(
          {
            description: Type.String({ maxLength: 200, description: 'What the token is for, e.g. "prometheus".' }),
            username: Type.Optional(Username),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Composite([
            TokenSchema,
            Type.Object({ token: Type.String({ description: 'Send as Authorization: Bearer TOKEN.' }) }),
          ]),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = signedIn(request.principal);
      const owner = request.body.username ?? principal.username;
      if (owner !== principal.username && principal.role !== 'admin') {
        throw new HttpProblem(
          403,
          ErrorCode.PrivilegeViolation,
          'a read-only account may create tokens only for itself',
        );
      }
      if (principal.via === 'local' && request.body.username === undefined) {
        throw new StrowgerError(
          ErrorCode.InvalidArgument,
          'the local credential is no account; name the account the token is for in "username"',
        );
      }
      const created = await accounts.createToken(owner, request.body.description, actorOf(principal));
      return reply.status(201).send({ ...created, createdAt: created.createdAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { access: 'self' },
      schema: {
        summary: 'Revoke an API token (a read-only account: only its own)',
        tags,
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = signedIn(request.principal);
      await accounts.deleteToken(
        request.params.id,
        actorOf(principal),
        principal.role === 'admin' ? undefined : principal.username,
      );
      return reply.status(204).send(null);
    },
  );
}

const AccountSchema = Type.Object({
  username: Type.String(),
  role: Role,
  createdAt: Type.String({ format: 'date-time' }),
});

/** Admin accounts: full admins list, create, change and delete them; every change is audited. */
export function registerAdminAccountRoutes(app: AdminApp, auth: Authenticator, accounts: AdminAccounts): void {
  const tags = ['Admin accounts'];
  const view = (account: { username: string; role: 'admin' | 'read-only'; createdAt: Date }) => ({
    username: account.username,
    role: account.role,
    createdAt: account.createdAt.toISOString(),
  });
  const params = Type.Object({ username: Username });
  app.get(
    '/api/v1/admin-accounts',
    {
      config: { access: 'write' },
      schema: {
        summary: 'List admin accounts (full admins only)',
        tags,
        response: { 200: Type.Object({ items: Type.Array(AccountSchema) }), ...problemResponses },
      },
    },
    async () => ({ items: (await accounts.list()).map(view) }),
  );
  app.post(
    '/api/v1/admin-accounts',
    {
      schema: {
        summary: 'Create an admin account',
        tags,
        body: Type.Object({ username: Username, password: NewPassword, role: Role }, { additionalProperties: false }),
        response: { 201: AccountSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await accounts.create(request.body, actorOf(request.principal));
      return reply.status(201).header('Location', `/api/v1/admin-accounts/${created.username}`).send(view(created));
    },
  );
  app.put(
    '/api/v1/admin-accounts/:username',
    {
      schema: {
        summary: "Change an account's role and/or password (the last full admin stays one)",
        tags,
        params,
        body: Type.Object(
          { role: Type.Optional(Role), password: Type.Optional(NewPassword) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: AccountSchema, ...problemResponses },
      },
    },
    async (request) => {
      const updated = await accounts.update(request.params.username, request.body, actorOf(request.principal));
      auth.forget();
      if (request.body.password !== undefined) auth.sessions.endAll(updated.username);
      return view(updated);
    },
  );
  app.delete(
    '/api/v1/admin-accounts/:username',
    {
      schema: {
        summary: 'Delete an admin account and its tokens (never the last full admin)',
        tags,
        params,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await accounts.delete(request.params.username, actorOf(request.principal));
      auth.forget();
      auth.sessions.endAll(request.params.username);
      return reply.status(204).send(null);
    },
  );
}
