import type { Clock, Logger } from '../../core/index.js';
import { silentLogger } from '../../core/index.js';
import type { HeaderField, SipRequest, Uri } from '../../sip/index.js';
import { formatUri } from '../../sip/index.js';
import type { DigestGate } from './digest-gate.js';
import type { BindingSource, BindingUpdate, RegistrationTable } from './registration-table.js';
import type { SipAccountDirectory } from './sip-accounts.js';

/** The part of an incoming request the registrar needs: the message, where it came from, and a way to answer. */
export interface RegisterExchange {
  readonly request: SipRequest;
  readonly source: {
    protocol: string;
    remote: { address: string; port: number };
    local?: { address: string };
    connectionId?: string;
  };
  respond(status: number, reason?: string, options?: { headers?: HeaderField[]; stateless?: boolean }): void;
  discard(): void;
}

export interface RegistrarLimits {
  /** Shorter requested expiries get 423 Interval Too Brief with this Min-Expires (RFC 3261 §10.3 step 7). */
  minExpiresSeconds: number;
  /** Longer requested expiries are shortened to this. */
  maxExpiresSeconds: number;
  /** Used when neither the Contact nor the request gives an expiry. */
  defaultExpiresSeconds: number;
  /** Contacts one device may hold at once. */
  maxBindingsPerDevice: number;
}

export const defaultRegistrarLimits: RegistrarLimits = {
  minExpiresSeconds: 60,
  maxExpiresSeconds: 3600,
  defaultExpiresSeconds: 3600,
  maxBindingsPerDevice: 10,
};

/** What happened to one REGISTER, for metrics and logs. */
export type RegisterOutcome =
  | 'registered'
  | 'unregistered'
  | 'challenged'
  | 'stale'
  | 'rejected'
  | 'throttled'
  | 'dropped'
  | 'forbidden-aor'
  | 'interval-too-brief'
  | 'out-of-order'
  | 'too-many-bindings'
  | 'invalid';

export interface RegistrarOptions {
  accounts: SipAccountDirectory;
  table: RegistrationTable;
  /** Digest authentication with the login throttle and stateless challenges (shared with calls). */
  gate: DigestGate;
  clock: Clock;
  logger?: Logger;
  limits?: Partial<RegistrarLimits>;
  onOutcome?: (outcome: RegisterOutcome) => void;
}

class RegisterRejection extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly outcome: RegisterOutcome,
    readonly headers: HeaderField[] = [],
  ) {
    super(reason);
  }
}

/**
 * The registrar of RFC 3261 §10.3 for configured SIP phones: digest authentication against the
 * device's HA1, bindings with expiry, several contacts per device, un-registration, and `Min-Expires`
 * negotiation. Authentication is the gate's: an unknown user and a wrong password get the same answer,
 * and while a user or a source is locked out for failing, its attempts are refused unchecked.
 */
export class Registrar {
  readonly #options: RegistrarOptions;
  readonly #limits: RegistrarLimits;
  readonly #logger: Logger;

  constructor(options: RegistrarOptions) {
    this.#options = options;
    this.#limits = { ...defaultRegistrarLimits, ...options.limits };
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'registrar' });
  }

  get limits(): Readonly<RegistrarLimits> {
    return this.#limits;
  }

  async handle(exchange: RegisterExchange): Promise<void> {
    let outcome: RegisterOutcome;
    try {
      outcome = await this.#process(exchange);
    } catch (error) {
      if (!(error instanceof RegisterRejection)) throw error;
      outcome = error.outcome;
      this.#logger.debug({ outcome, status: error.status, callId: exchange.request.callId }, 'REGISTER refused');
      await exchange.respond(error.status, error.reason, { headers: error.headers });
    }
    this.#options.onOutcome?.(outcome);
  }

  async #process(exchange: RegisterExchange): Promise<RegisterOutcome> {
    const { request } = exchange;
    const result = this.#options.gate.authenticate(exchange, 'www');
    if (!result.ok) return result.refusal;
    const { account } = result;
    const aorUser = userOf(this.#to(request));
    if (aorUser !== account.username) {
      // §10.3 step 3: the authenticated user must be allowed to change the address-of-record.
      throw new RegisterRejection(403, 'Forbidden - credentials do not match the To address', 'forbidden-aor');
    }
    return this.#updateBindings(exchange, account.deviceName);
  }

  async #updateBindings(exchange: RegisterExchange, deviceName: string): Promise<RegisterOutcome> {
    const { request } = exchange;
    const { table } = this.#options;
    const callId = request.callId;
    const cseq = request.cseq.seq;
    const contacts = this.#contacts(request);
    const headerExpires = this.#headerExpires(request);

    if (contacts === 'wildcard') {
      // §10.3 step 6: "*" removes every binding, and is only valid with Expires: 0.
      if (headerExpires !== 0)
        throw new RegisterRejection(400, 'Bad Request - Contact: * requires Expires: 0', 'invalid');
      const order = table.checkOrder(deviceName, 'all', callId, cseq);
      if (!order.ok) throw new RegisterRejection(500, 'Server Internal Error - REGISTER out of order', 'out-of-order');
      table.removeAll(deviceName, 'unregistered');
      await this.#answer200(exchange, deviceName);
      return 'unregistered';
    }

    const updates: BindingUpdate[] = [];
    for (const contact of contacts) {
      const requested = contact.expires ?? headerExpires ?? this.#limits.defaultExpiresSeconds;
      if (requested > 0 && requested < this.#limits.minExpiresSeconds) {
        throw new RegisterRejection(423, 'Interval Too Brief', 'interval-too-brief', [
          { name: 'Min-Expires', value: String(this.#limits.minExpiresSeconds) },
        ]);
      }
      const expiresSeconds = Math.min(requested, this.#limits.maxExpiresSeconds);
      updates.push(
        expiresSeconds === 0
          ? { kind: 'remove', contact: contact.uri }
          : { kind: 'set', contact: contact.uri, expiresSeconds, q: contact.q },
      );
    }

    const order = table.checkOrder(
      deviceName,
      updates.map((update) => update.contact),
      callId,
      cseq,
    );
    if (!order.ok) throw new RegisterRejection(500, 'Server Internal Error - REGISTER out of order', 'out-of-order');

    const existing = table.bindings(deviceName);
    const after = new Set(existing.map((binding) => binding.contactText));
    for (const update of updates) {
      const text = formatUri(update.contact);
      if (update.kind === 'set') after.add(text);
      else after.delete(text);
    }
    if (after.size > this.#limits.maxBindingsPerDevice) {
      throw new RegisterRejection(
        403,
        `Forbidden - at most ${this.#limits.maxBindingsPerDevice} contacts per device`,
        'too-many-bindings',
      );
    }

    const source: BindingSource = {
      protocol: exchange.source.protocol,
      address: exchange.source.remote.address,
      port: exchange.source.remote.port,
      ...(exchange.source.connectionId === undefined ? {} : { connectionId: exchange.source.connectionId }),
      ...(exchange.source.local?.address ? { localAddress: exchange.source.local.address } : {}),
    };
    table.apply(deviceName, updates, { callId, cseq, userAgent: request.getHeader('User-Agent'), source });
    await this.#answer200(exchange, deviceName);
    return table.bindings(deviceName).length > 0 ? 'registered' : 'unregistered';
  }

  /** §10.3 step 8: the 200 lists every current binding with its remaining lifetime. */
  async #answer200(exchange: RegisterExchange, deviceName: string): Promise<void> {
    const now = this.#options.clock.now();
    const headers: HeaderField[] = this.#options.table.bindings(deviceName).map((binding) => ({
      name: 'Contact',
      value: `<${binding.contactText}>;expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
    }));
    headers.push({ name: 'Date', value: new Date(now).toUTCString() });
    await exchange.respond(200, 'OK', { headers });
  }

  #to(request: SipRequest): Uri {
    try {
      return request.to.uri;
    } catch {
      throw new RegisterRejection(400, 'Bad Request - unreadable To header', 'invalid');
    }
  }

  #headerExpires(request: SipRequest): number | undefined {
    try {
      return request.expires;
    } catch {
      throw new RegisterRejection(400, 'Bad Request - Expires must be a number of seconds', 'invalid');
    }
  }

  #contacts(request: SipRequest): 'wildcard' | { uri: Uri; expires: number | undefined; q: number | undefined }[] {
    let values;
    try {
      values = request.contacts;
    } catch {
      throw new RegisterRejection(400, 'Bad Request - unreadable Contact header', 'invalid');
    }
    if (values.some((value) => 'wildcard' in value)) {
      if (values.length !== 1) throw new RegisterRejection(400, 'Bad Request - Contact: * must stand alone', 'invalid');
      return 'wildcard';
    }
    return values.map((value) => {
      if ('wildcard' in value) throw new RegisterRejection(400, 'Bad Request - Contact: * must stand alone', 'invalid');
      if (value.uri.scheme !== 'sip' && value.uri.scheme !== 'sips') {
        throw new RegisterRejection(400, `Bad Request - a phone's Contact must be a sip: or sips: URI`, 'invalid');
      }
      return { uri: value.uri, expires: numericParam(value.params.get('expires')), q: qValue(value.params.get('q')) };
    });
  }
}

function userOf(uri: Uri): string | undefined {
  if (uri.scheme === 'sip' || uri.scheme === 'sips') {
    const { user } = uri as { user: string | undefined };
    return user === undefined ? undefined : decodeURIComponentSafe(user);
  }
  if (uri.scheme === 'tel') return (uri as { number: string }).number;
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function numericParam(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!/^\d{1,10}$/.test(value))
    throw new RegisterRejection(400, 'Bad Request - Contact expires must be a number of seconds', 'invalid');
  return Number(value);
}

function qValue(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const q = Number(value);
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) || Number.isNaN(q)) {
    throw new RegisterRejection(400, 'Bad Request - Contact q must be between 0 and 1', 'invalid');
  }
  return q;
}
