import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ErrorCode, StrowgerError, type Clock, type Logger, type TimerHandle } from '@strowger/core';

/** A voicemail box: an end user with a primary extension. */
export interface Mailbox {
  readonly extension: string;
  readonly userId: string;
  readonly displayName?: string;
}

/** The fields of `GET /api/v1/end-users` the IVR reads; others are ignored. */
const EndUserPageSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      userId: Type.String(),
      displayName: Type.Optional(Type.String()),
      primaryExtension: Type.Optional(Type.String()),
    }),
  ),
  total: Type.Integer({ minimum: 0 }),
});

export interface AdminApiOptions {
  /** The admin API's base URL, e.g. http://pbx:8080. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

/** Entries per page: the admin API's largest. */
const pageSize = 1000;

/**
 * Reads every end user with a primary extension from the server's admin API, page by page, as Unity
 * Express imports its subscribers from the call manager.
 */
export async function fetchMailboxes(options: AdminApiOptions): Promise<Mailbox[]> {
  const fetchImpl = options.fetch ?? fetch;
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const mailboxes: Mailbox[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const url = new URL('/api/v1/end-users', options.url);
    url.searchParams.set('offset', String(offset));
    url.searchParams.set('limit', String(pageSize));
    url.searchParams.set('sort', 'userId');
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { authorization, accept: 'application/json' } });
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `cannot reach the admin API at ${options.url}: ${error instanceof Error ? error.message : String(error)}; ` +
          'check admin.url in the configuration and that the server is running',
        { cause: error },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new StrowgerError(
        ErrorCode.AuthenticationFailed,
        `the admin API refused ${options.user} (${response.status}); check admin.user and its password ` +
          '(a read-only admin account is enough)',
      );
    }
    if (!response.ok) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `GET ${url.pathname} answered ${response.status}; the mailbox directory was not refreshed`,
      );
    }
    const body: unknown = await response.json();
    if (!Value.Check(EndUserPageSchema, body)) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `GET ${url.pathname} answered something other than a page of end users; is admin.url the Strowger admin API?`,
      );
    }
    for (const user of body.items) {
      if (user.primaryExtension === undefined) continue;
      mailboxes.push({
        extension: user.primaryExtension,
        userId: user.userId,
        ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
      });
    }
    if (body.items.length === 0 || offset + body.items.length >= body.total) break;
  }
  return mailboxes;
}

/**
 * The mailboxes by extension, refreshed from the admin API every `refreshMinutes`. A failed refresh
 * keeps the mailboxes already known (callers can still leave messages while the server's API is
 * down) and is logged; the next refresh tries again.
 */
export class MailboxDirectory {
  readonly #load: () => Promise<Mailbox[]>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #refreshMs: number;
  #byExtension = new Map<string, Mailbox>();
  #timer: TimerHandle | undefined;
  #stopped = false;
  #listeners: ((mailboxes: readonly Mailbox[]) => void)[] = [];

  constructor(options: { load: () => Promise<Mailbox[]>; clock: Clock; logger: Logger; refreshMinutes: number }) {
    this.#load = options.load;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#refreshMs = options.refreshMinutes * 60_000;
  }

  get(extension: string): Mailbox | undefined {
    return this.#byExtension.get(extension);
  }

  get all(): readonly Mailbox[] {
    return [...this.#byExtension.values()];
  }

  /** Called after each successful refresh (the lamps are brought in line then). */
  onRefresh(listener: (mailboxes: readonly Mailbox[]) => void): void {
    this.#listeners.push(listener);
  }

  /** Loads the mailboxes now; throws when the first load fails, so a misconfiguration shows at start. */
  async start(): Promise<void> {
    await this.refresh({ throwOnError: true });
    this.#schedule();
  }

  async refresh(options: { throwOnError?: boolean } = {}): Promise<void> {
    try {
      const mailboxes = await this.#load();
      const byExtension = new Map<string, Mailbox>();
      for (const mailbox of mailboxes) {
        const other = byExtension.get(mailbox.extension);
        if (other !== undefined) {
          this.#logger.warn(
            { extension: mailbox.extension, users: [other.userId, mailbox.userId] },
            'two end users have the same primary extension; the mailbox belongs to the first',
          );
          continue;
        }
        byExtension.set(mailbox.extension, mailbox);
      }
      this.#byExtension = byExtension;
      this.#logger.info({ mailboxes: byExtension.size }, 'mailbox directory refreshed');
      for (const listener of this.#listeners) {
        try {
          listener(this.all);
        } catch (error) {
          this.#logger.error({ err: error }, 'a mailbox directory listener failed');
        }
      }
    } catch (error) {
      if (options.throwOnError === true) throw error;
      this.#logger.error({ err: error }, 'mailbox directory refresh failed; keeping the mailboxes already known');
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#clock.setTimer(this.#refreshMs, () => {
      this.refresh().then(
        () => this.#schedule(),
        () => this.#schedule(),
      );
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }
}
