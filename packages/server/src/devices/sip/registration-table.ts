import type { Clock, TimerHandle } from '../../core/index.js';
import { TypedEmitter } from '../../core/index.js';
import type { Uri } from '../../sip/index.js';
import { formatUri, uriEquals } from '../../sip/index.js';

/** Where a REGISTER came from; responses and, later, calls to the device go back there (RFC 5626 style). */
export interface BindingSource {
  protocol: string;
  address: string;
  port: number;
  connectionId?: string;
  /**
   * Our address the REGISTER reached (a TCP connection's local address): calls to the device leave
   * from it and name it in Via and Contact, so a phone on one of several networks is answered there.
   */
  localAddress?: string;
}

/** One Contact bound to a device (RFC 3261 §10.3). */
export interface Binding {
  readonly deviceName: string;
  readonly contact: Uri;
  readonly contactText: string;
  readonly callId: string;
  readonly cseq: number;
  readonly expiresAt: number;
  readonly userAgent: string | undefined;
  readonly source: BindingSource;
  /** The Contact's `q` preference, 0–1, when given. */
  readonly q: number | undefined;
}

export interface RegistrationTableEvents extends Record<string, unknown> {
  /** A device went from no bindings to at least one. */
  registered: { deviceName: string };
  /** A device lost its last binding; `reason` says whether it un-registered or let it lapse. */
  unregistered: { deviceName: string; reason: 'unregistered' | 'expired' | 'removed' };
  /** Any change to a device's bindings. */
  changed: { deviceName: string };
}

interface StoredBinding extends Binding {
  readonly timer: TimerHandle;
}

export type BindingUpdate =
  { kind: 'set'; contact: Uri; expiresSeconds: number; q: number | undefined } | { kind: 'remove'; contact: Uri };

/** Outcome of checking a REGISTER's Call-ID/CSeq against the bindings it touches (§10.3 step 7). */
export type OrderCheck = { ok: true } | { ok: false; contactText: string };

/**
 * The current bindings of every device, each lapsing on its own timer. The server persists them on
 * every `changed` event and `restore`s the unexpired ones at start, so a restart loses no phone.
 */
export class RegistrationTable {
  readonly events = new TypedEmitter<RegistrationTableEvents>();
  readonly #clock: Clock;
  readonly #byDevice = new Map<string, StoredBinding[]>();
  #bindingCount = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  bindings(deviceName: string): readonly Binding[] {
    return this.#byDevice.get(deviceName) ?? [];
  }

  get registeredDeviceCount(): number {
    return this.#byDevice.size;
  }

  get bindingCount(): number {
    return this.#bindingCount;
  }

  /**
   * RFC 3261 §10.3 step 7: a binding from the same Call-ID with a CSeq not higher than the stored one
   * is out of order, and the whole request fails without changing anything.
   */
  checkOrder(deviceName: string, contacts: readonly Uri[] | 'all', callId: string, cseq: number): OrderCheck {
    for (const binding of this.#byDevice.get(deviceName) ?? []) {
      const touched = contacts === 'all' || contacts.some((contact) => uriEquals(contact, binding.contact));
      if (touched && binding.callId === callId && cseq <= binding.cseq)
        return { ok: false, contactText: binding.contactText };
    }
    return { ok: true };
  }

  /** Applies every update of one REGISTER at once; the caller has validated and order-checked them. */
  apply(
    deviceName: string,
    updates: readonly BindingUpdate[],
    context: { callId: string; cseq: number; userAgent: string | undefined; source: BindingSource },
  ): void {
    const before = this.#byDevice.get(deviceName)?.length ?? 0;
    for (const update of updates) {
      this.#remove(deviceName, update.contact);
      if (update.kind === 'set' && update.expiresSeconds > 0) {
        this.#add({
          deviceName,
          contact: update.contact,
          contactText: formatUri(update.contact),
          callId: context.callId,
          cseq: context.cseq,
          expiresAt: this.#clock.now() + update.expiresSeconds * 1000,
          userAgent: context.userAgent,
          source: context.source,
          q: update.q,
        });
      }
    }
    this.#announce(deviceName, before, 'unregistered');
  }

  /**
   * Puts back a binding kept from before a restart, lapsing at its original time; false when it has
   * already lapsed. A TCP or TLS flow did not survive the restart, so the binding keeps no connection.
   */
  restore(binding: Omit<Binding, 'source'> & { source: Omit<BindingSource, 'connectionId'> }): boolean {
    if (binding.expiresAt <= this.#clock.now()) return false;
    const before = this.#byDevice.get(binding.deviceName)?.length ?? 0;
    this.#remove(binding.deviceName, binding.contact);
    const { protocol, address, port } = binding.source;
    this.#add({ ...binding, source: { protocol, address, port } });
    this.#announce(binding.deviceName, before, 'unregistered');
    return true;
  }

  /** Removes every binding of a device (Contact: *, or the device was deleted from the configuration). */
  removeAll(deviceName: string, reason: 'unregistered' | 'removed'): void {
    const list = this.#byDevice.get(deviceName);
    if (list === undefined) return;
    for (const binding of list) binding.timer.cancel();
    this.#bindingCount -= list.length;
    this.#byDevice.delete(deviceName);
    this.events.emit('changed', { deviceName });
    this.events.emit('unregistered', { deviceName, reason });
  }

  /** Cancels every expiry timer; the table is empty afterwards. */
  clear(): void {
    for (const deviceName of [...this.#byDevice.keys()]) this.removeAll(deviceName, 'removed');
  }

  #add(binding: Binding): void {
    const delay = Math.max(0, binding.expiresAt - this.#clock.now());
    const timer = this.#clock.setTimer(delay, () => this.#expire(binding.deviceName, binding.contact));
    const list = this.#byDevice.get(binding.deviceName) ?? [];
    list.push({ ...binding, timer });
    this.#byDevice.set(binding.deviceName, list);
    this.#bindingCount += 1;
  }

  #remove(deviceName: string, contact: Uri): void {
    const list = this.#byDevice.get(deviceName);
    if (list === undefined) return;
    const index = list.findIndex((binding) => uriEquals(binding.contact, contact));
    if (index < 0) return;
    list[index]?.timer.cancel();
    list.splice(index, 1);
    this.#bindingCount -= 1;
    if (list.length === 0) this.#byDevice.delete(deviceName);
  }

  #expire(deviceName: string, contact: Uri): void {
    const before = this.#byDevice.get(deviceName)?.length ?? 0;
    this.#remove(deviceName, contact);
    this.#announce(deviceName, before, 'expired');
  }

  #announce(deviceName: string, before: number, lossReason: 'unregistered' | 'expired'): void {
    const after = this.#byDevice.get(deviceName)?.length ?? 0;
    this.events.emit('changed', { deviceName });
    if (before === 0 && after > 0) this.events.emit('registered', { deviceName });
    if (before > 0 && after === 0) this.events.emit('unregistered', { deviceName, reason: lossReason });
  }
}
