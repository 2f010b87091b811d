import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ErrorCode, StrowgerError, type Clock, type Logger } from '@strowger/core';
import { writeFileAtomic } from './atomic-file.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

const PinRecordSchema = Type.Object({
  /** `scrypt$<salt hex>$<key hex>`; absent while the mailbox still has the initial PIN. */
  hash: Type.Optional(Type.String()),
  /** Failed PINs in a row, over any number of calls. */
  failures: Type.Integer({ minimum: 0 }),
  /** Epoch ms until which the mailbox refuses every PIN. */
  lockedUntil: Type.Optional(Type.Number()),
});
const PinFileSchema = Type.Record(Type.String(), PinRecordSchema);
type PinRecord = Static<typeof PinRecordSchema>;

export type PinVerdict = 'ok' | 'wrong' | 'locked';

export interface PinPolicy {
  /** The PIN a mailbox has until its owner chooses one (who must, at the first login). */
  readonly initialPin: string;
  readonly minPinLength: number;
  /** Failed PINs in a row that lock the mailbox. */
  readonly lockoutAfter: number;
  readonly lockoutMinutes: number;
}

async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${(await scrypt(pin, salt, 32)).toString('hex')}`;
}

async function pinMatches(pin: string, hash: string): Promise<boolean> {
  const [scheme, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'hex');
  const actual = await scrypt(pin, Buffer.from(salt, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Voicemail PINs, the IVR's own (as Unity Express keeps its own, apart from the call manager's):
 * `pins.json` in the data directory holds a salted scrypt hash per mailbox, never a PIN. A mailbox
 * without a record has the configured initial PIN and must change it. Failures are counted across
 * calls, and after `lockoutAfter` in a row the mailbox refuses every PIN for `lockoutMinutes`.
 * Every change reads the file, changes it and writes it back (atomically), one change at a time, so
 * a PIN reset by `strowger-ivr --reset-pin` while the IVR runs takes effect at once.
 */
export class PinStore {
  readonly #file: string;
  readonly #policy: PinPolicy;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { directory: string; policy: PinPolicy; clock: Clock; logger: Logger }) {
    this.#file = join(options.directory, 'pins.json');
    this.#policy = options.policy;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  async #read(): Promise<Record<string, PinRecord>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#file, 'utf8'));
      if (Value.Check(PinFileSchema, parsed)) return parsed;
      this.#logger.error({ file: this.#file }, 'the PIN file is not valid; every mailbox has the initial PIN again');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return {};
  }

  /** Runs `work` on the current records, one at a time; its changes are written when it says so. */
  #transact<T>(work: (records: Record<string, PinRecord>) => Promise<{ result: T; changed: boolean }>): Promise<T> {
    const run = async () => {
      const records = await this.#read();
      const { result, changed } = await work(records);
      if (changed) await writeFileAtomic(this.#file, `${JSON.stringify(records, null, 1)}\n`);
      return result;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Checks a PIN, counting a failure and locking the mailbox after too many in a row. */
  verify(mailbox: string, pin: string): Promise<PinVerdict> {
    return this.#transact(async (records) => {
      const stored = records[mailbox];
      const record: PinRecord = stored ?? { failures: 0 };
      const clean = stored === undefined || (stored.failures === 0 && stored.lockedUntil === undefined);
      const now = this.#clock.now();
      if (record.lockedUntil !== undefined) {
        if (now < record.lockedUntil) return { result: 'locked' as const, changed: false };
        delete record.lockedUntil;
        record.failures = 0;
      }
      const ok =
        record.hash === undefined
          ? pin.length === this.#policy.initialPin.length &&
            timingSafeEqual(Buffer.from(pin), Buffer.from(this.#policy.initialPin))
          : await pinMatches(pin, record.hash);
      if (ok) {
        record.failures = 0;
        return { result: 'ok' as const, changed: !clean };
      }
      record.failures += 1;
      if (record.failures >= this.#policy.lockoutAfter) {
        record.lockedUntil = now + this.#policy.lockoutMinutes * 60_000;
        this.#logger.warn({ mailbox, failures: record.failures }, 'mailbox locked after repeated wrong PINs');
      }
      records[mailbox] = record;
      return { result: record.lockedUntil !== undefined ? ('locked' as const) : ('wrong' as const), changed: true };
    });
  }

  /** Whether the mailbox still has the initial PIN, which its owner must change before going on. */
  async mustChange(mailbox: string): Promise<boolean> {
    return this.#transact(async (records) => ({ result: records[mailbox]?.hash === undefined, changed: false }));
  }

  /** Why a new PIN is refused, or undefined when it is fine. */
  problem(mailbox: string, pin: string): string | undefined {
    if (!/^[0-9]+$/.test(pin)) return 'a PIN is digits only';
    if (pin.length < this.#policy.minPinLength || pin.length > 20)
      return `a PIN has ${this.#policy.minPinLength} to 20 digits`;
    if (pin === mailbox) return 'a PIN may not be the mailbox number';
    if (pin === this.#policy.initialPin) return 'a PIN may not be the initial PIN';
    if (/^(\d)\1+$/.test(pin)) return 'a PIN may not repeat one digit';
    return undefined;
  }

  async change(mailbox: string, pin: string): Promise<void> {
    const problem = this.problem(mailbox, pin);
    if (problem !== undefined) throw new StrowgerError(ErrorCode.InvalidArgument, `the new PIN is refused: ${problem}`);
    const hash = await hashPin(pin);
    await this.#transact(async (records) => {
      records[mailbox] = { hash, failures: 0 };
      return { result: undefined, changed: true };
    });
  }

  /** Gives a mailbox the initial PIN again and unlocks it (its owner must choose a new PIN at the next login). */
  async reset(mailbox: string): Promise<boolean> {
    return this.#transact(async (records) => {
      const had = records[mailbox] !== undefined;
      delete records[mailbox];
      return { result: had, changed: had };
    });
  }
}
