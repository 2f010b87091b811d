import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { readLocalCredential } from '../local-credential.js';
import { addStoreOptions, type StoreLocation } from './store-options.js';

/** Where a command finds the server: its data directory (and credential), or an explicit URL. */
export interface ServerTarget extends StoreLocation {
  url?: string;
  token?: string;
}

/**
 * `--data`/`--db` (the store, when no server runs) and `--url`/`--token` (a server elsewhere), shared
 * by every command that talks to the running server.
 */
export function addServerOptions(command: Command): Command {
  return addStoreOptions(command)
    .addOption(
      new Option(
        '--url <url>',
        'the admin API of a running server (default: the one running on --data, found through its data directory)',
      ).env('STROWGER_URL'),
    )
    .addOption(
      new Option('--token <token>', 'an API token for --url (POST /api/v1/auth/tokens makes one)').env(
        'STROWGER_API_TOKEN',
      ),
    );
}

/** The running server's admin API, signed in; every error says what to do. */
export class ServerApi {
  readonly baseUrl: string;
  readonly #authorization: string | undefined;

  constructor(baseUrl: string, authorization: string | undefined) {
    this.baseUrl = baseUrl;
    this.#authorization = authorization;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#send(method, path, options);
    return (await response.json()) as T;
  }

  async text(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    return (await this.#send(method, path, options)).text();
  }

  /** The answer itself, its body unread: for a stream of server-sent events. */
  async stream(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.#send('GET', path, { ...options, timeoutMs: options.timeoutMs ?? noTimeout });
  }

  /** For answers without a body (204). */
  async call(method: string, path: string, options: RequestOptions = {}): Promise<void> {
    await this.#send(method, path, options);
  }

  /** Every page of a paged list. */
  async all<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ;) {
      const page = await this.json<{ items: T[]; total: number }>('GET', path, {
        query: { ...query, offset: String(offset), limit: '1000' },
      });
      items.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return items;
    }
  }

  async #send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = {};
    if (this.#authorization !== undefined) headers.authorization = this.#authorization;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.timeoutMs === noTimeout ? {} : { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) }),
      });
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `no Strowger server answered at ${this.baseUrl}; start one with "strowger start", or pass --url with the address it printed`,
        { cause: error },
      );
    }
    if (!response.ok) {
      // A problem+json answer carries a stable code and a sentence that says what to do: pass both on.
      const problem = await problemOf(response);
      if (problem?.code === ErrorCode.AuthenticationFailed && this.#authorization === undefined) {
        throw new StrowgerError(
          ErrorCode.AuthenticationFailed,
          `the server at ${this.baseUrl} wants credentials: pass --token (or STROWGER_API_TOKEN), or run this on the server's machine with its --data directory`,
        );
      }
      if (problem !== undefined) throw new StrowgerError(problem.code, problem.detail);
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `the server at ${this.baseUrl} answered ${response.status} to ${method} ${url.pathname}`,
      );
    }
    return response;
  }
}

/** A stream's request has no deadline: it lasts as long as the person watches. */
const noTimeout = Number.POSITIVE_INFINITY;

interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

async function problemOf(response: Response): Promise<{ code: ErrorCode; detail: string } | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('application/problem+json')) return undefined;
  try {
    const body = (await response.json()) as { code?: unknown; detail?: unknown };
    const codes: readonly string[] = Object.values(ErrorCode);
    if (typeof body.code !== 'string' || !codes.includes(body.code) || typeof body.detail !== 'string')
      return undefined;
    return { code: body.code as ErrorCode, detail: body.detail };
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The running server to talk to, or undefined when none runs: `--url` when given (with `--token`),
 * else the server running on the data directory, found through the credential it keeps there.
 * With `--db` and no `--url` there is none: the command works on the database, which a running
 * server follows by itself.
 */
export function findServer(target: ServerTarget): ServerApi | undefined {
  const local = target.db === undefined ? readLocalCredential(target.data) : undefined;
  const localLive = local !== undefined && processIsAlive(local.pid) ? local : undefined;
  if (target.url !== undefined) {
    const token = target.token ?? (localLive?.url === target.url ? localLive.token : undefined);
    return new ServerApi(target.url, token === undefined ? undefined : `Bearer ${token}`);
  }
  if (localLive === undefined) return undefined;
  return new ServerApi(localLive.url, `Bearer ${target.token ?? localLive.token}`);
}

/** The running server, for what only a running server can do (live calls, unregistering). */
export function requireServer(target: ServerTarget, what: string): ServerApi {
  const server = findServer(target);
  if (server !== undefined) return server;
  throw new StrowgerError(
    ErrorCode.ResourceUnavailable,
    target.db === undefined
      ? `no Strowger server runs on the data directory ${resolve(target.data)}, and ${what} needs one; start it, or give --data (or --url) of the one that runs`
      : `${what} needs a running server: give its --url (and --token)`,
  );
}
