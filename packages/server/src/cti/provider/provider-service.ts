import { randomUUID } from 'node:crypto';
import {
  EventId,
  type CallSnapshot as WireCallSnapshot,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type ObserverAddParams,
  type ProviderOpenParams,
  type ProviderOpened,
  type ProviderSnapshot,
  type Target,
  type Terminal,
} from '@strowger/protocol';
import {
  ErrorCode,
  StrowgerError,
  type Clock,
  type Logger,
  type LoginThrottle,
  type TimerHandle,
  type TypedEmitter,
} from '../../core/index.js';
import type { ConfigSnapshot } from '../../store/index.js';
import { verifyPassword } from '../../store/index.js';
import {
  connectionReasonValue,
  type AddressSnapshot,
  type CallEvent,
  type CallSnapshot,
  type DeviceEvent,
  type SwitchEvents,
  type TerminalSnapshot,
} from '../../switch/index.js';
import { CtiConfiguration, type CtiUser, type LoginOnDevice } from '../permissions/cti-configuration.js';
import { evaluateAccess } from '../permissions/evaluate-access.js';
import { computeProviderDomain } from '../permissions/provider-domain.js';
import { CtiRole } from '../permissions/roles.js';
import { CallTracker } from '../monitoring/call-tracker.js';
import { eventsRecreating, jtapiEventsOf, observationEnded, type EventBody } from '../monitoring/jtapi-event-mapper.js';
import { addressRefusal, buildDomainView, diffDomains, terminalRefusal, type DomainView } from './domain-view.js';
import { CtiProvider, type Observer, type ProviderSink } from './provider.js';
import { SharedEvent, addressAll, type Addressed } from './shared-event.js';
import { mobilityChangeBetween, registrationReasonOf, type MobilityChange } from './mobility-change.js';
import { CallControlRequests, type CallControlEngine, type CallControlMethod } from './call-control.js';
import type { CtiDevices } from '../devices/cti-devices.js';

/** What the CTI layer needs of the engine: its events and its snapshots. */
export interface CtiEngine {
  readonly events: Pick<TypedEmitter<SwitchEvents>, 'on'>;
  snapshotDevice(name: string): TerminalSnapshot | undefined;
  snapshotLine(dn: string): AddressSnapshot | undefined;
  snapshotCall(callId: string): { readonly engineSeq: number; readonly call: CallSnapshot } | undefined;
}

/** A session holding providers: where their events go, and how it lets one go to another session. */
export interface ProviderHolder extends ProviderSink {
  forget(providerId: string): void;
}

/** One open provider, for the admin API's live view. */
export interface OpenProviderSummary {
  providerId: string;
  userId: string;
  userKind: CtiUser['kind'];
  appInfo: string | null;
  source: string;
  /** Engine time (ms since the epoch). */
  openedAt: number;
  /** False while the provider waits for its application to reconnect and resume. */
  connected: boolean;
  terminals: number;
  restrictedTerminals: number;
  addresses: number;
  restrictedAddresses: number;
  observers: number;
  /** The last event sequence number. */
  seq: number;
}

export interface ProviderServiceOptions {
  clock: Clock;
  logger: Logger;
  engine: CtiEngine;
  /** The engine's call control; without it every call-control request fails with UNSUPPORTED. */
  control?: CallControlEngine;
  configuration: ConfigSnapshot;
  /** Slows down password guessing per user, per source and per pair, before the password is checked. */
  loginThrottle: Pick<LoginThrottle, 'admit'>;
  /** How long a provider of a closed session waits for a resume. */
  graceMs: number;
  /** How many events per provider are kept for resume. */
  ringSize: number;
  /** CTI route points and ports; without it their registration fails with UNSUPPORTED. */
  devices?: CtiDevices;
}

/** The methods by which applications register and drive CTI route points and ports. */
export const ctiDeviceMethods = [
  'terminal.register',
  'terminal.unregister',
  'terminal.setRtpParams',
  'address.registerRouteCallback',
  'address.cancelRouteCallback',
  'routeSession.selectRoute',
  'routeSession.endRoute',
] as const satisfies readonly MethodName[];
export type CtiDeviceMethod = (typeof ctiDeviceMethods)[number];

export function isCtiDeviceMethod(method: MethodName): method is CtiDeviceMethod {
  return (ctiDeviceMethods as readonly string[]).includes(method);
}

type CtiDeviceHandler<M extends CtiDeviceMethod> = (
  devices: CtiDevices,
  provider: CtiProvider,
  params: MethodParams<M>,
) => MethodResult<M>;

/** What each route point and port method does, on the CTI devices. */
const ctiDeviceHandlers: { readonly [M in CtiDeviceMethod]: CtiDeviceHandler<M> } = {
  'terminal.register': (devices, provider, params) => devices.register(provider, params),
  'terminal.unregister': (devices, provider, params) => {
    devices.unregister(provider, params);
    return {};
  },
  'terminal.setRtpParams': (devices, provider, params) => {
    devices.setRtpParams(provider, params);
    return {};
  },
  'address.registerRouteCallback': (devices, provider, params) => devices.registerRouteCallback(provider, params),
  'address.cancelRouteCallback': (devices, provider, params) => {
    devices.cancelRouteCallback(provider, params);
    return {};
  },
  'routeSession.selectRoute': (devices, provider, params) => devices.selectRoute(provider, params),
  'routeSession.endRoute': (devices, provider, params) => {
    devices.endRoute(provider, params);
    return {};
  },
};

const snapshotCauses = { cause: 110, callControlCause: null, ciscoCause: 0, metaCode: 135, featureReason: 12 };
const catchUpCauses = { cause: 100, callControlCause: null, ciscoCause: 0, metaCode: 128, featureReason: 12 };
// A hash of nothing anyone knows, checked when the user id is unknown so that a wrong user id and a
// wrong password take the same time.
const unknownUserHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

type Opened = {
  provider: CtiProvider;
  result: ProviderOpened;
  replay: { afterSeq: number; events: readonly Addressed[] } | undefined;
  after: () => void;
};

/**
 * The providers of every session: provider open and resume, the domain and its live changes, the
 * observers, and the fan-out of the engine's events as JTAPI events (domain reference §2, §3, §5.3).
 */
export class ProviderService {
  readonly #options: ProviderServiceOptions;
  readonly #providers = new Map<string, CtiProvider>();
  readonly #holders = new Map<string, ProviderHolder>();
  readonly #grace = new Map<string, TimerHandle>();
  /** Observers by what they watch (`t:NAME`, `a:DN`, `c:CALLID`), so an event finds its observers at once. */
  readonly #byTarget = new Map<string, Set<{ provider: CtiProvider; observer: Observer }>>();
  readonly #tracker = new CallTracker();
  readonly #unsubscribe: Array<() => void>;
  readonly #control: CallControlRequests | undefined;
  #snapshot: ConfigSnapshot;
  #configuration: CtiConfiguration;
  /** Extension Mobility logins in force: they move devices in and out of domains (§3.3). */
  #mobilityLogins: readonly LoginOnDevice[] = [];

  constructor(options: ProviderServiceOptions) {
    this.#options = options;
    this.#snapshot = options.configuration;
    this.#configuration = CtiConfiguration.fromSnapshot(options.configuration);
    this.#control = options.control === undefined ? undefined : new CallControlRequests(options.control);
    options.devices?.attachProviders({
      emit: (providerId, type, fields) => this.#providers.get(providerId)?.emit([this.#providerEvent(type, fields)]),
      provider: (providerId) => this.#providers.get(providerId),
    });
    this.#unsubscribe = [
      options.engine.events.on('call', (event) => this.#onCallEvent(event)),
      options.engine.events.on('device', (event) => this.#onDeviceEvent(event)),
    ];
  }

  get providerCount(): number {
    return this.#providers.size;
  }

  /** Every open provider as an administrator sees it: who, from where, how much it reaches. */
  list(): OpenProviderSummary[] {
    return [...this.#providers.values()].map((provider) => {
      const terminals = [...provider.view.terminals.values()];
      const addresses = [...provider.view.addresses.values()];
      return {
        providerId: provider.id,
        userId: provider.user.userId,
        userKind: provider.user.kind,
        appInfo: provider.appInfo ?? null,
        source: provider.source,
        openedAt: provider.openedAt,
        connected: this.#holders.has(provider.id),
        terminals: terminals.length,
        restrictedTerminals: terminals.filter((t) => t.restricted).length,
        addresses: addresses.length,
        restrictedAddresses: addresses.filter((a) => a.restricted).length,
        observers: provider.observers.size,
        seq: provider.seq,
      };
    });
  }

  /**
   * provider.open: the password checked against the stored salted hash (failures slowed per source
   * and per user), "Standard CTI Enabled" required, then a new provider with its domain — or, with
   * `resume`, the same provider and the events the client missed.
   */
  async open(params: ProviderOpenParams, context: { source: string; holder: ProviderHolder }): Promise<Opened> {
    const gate = this.#options.loginThrottle.admit({ user: params.user, source: context.source });
    if (!gate.admitted) {
      throw new StrowgerError(
        ErrorCode.AccountLocked,
        `Too many failed logins for ${params.user} or from ${context.source}; try again in ${Math.ceil(gate.retryAfterMs / 1000)} s.`,
        { details: { retryAfterMs: gate.retryAfterMs } },
      );
    }
    let user: CtiUser | undefined;
    try {
      user = await this.#authenticate(params.user, params.password);
    } catch (err) {
      gate.attempt.abandoned();
      throw err;
    }
    if (user === undefined) {
      gate.attempt.failed();
      throw new StrowgerError(
        ErrorCode.AuthenticationFailed,
        'The user id or password was not accepted; check both. Repeated failures are slowed down.',
      );
    }
    gate.attempt.succeeded();
    const resumed = params.resume === undefined ? undefined : this.#resume(user, params.resume, context.holder);
    if (resumed !== undefined) return resumed;

    const domain = computeProviderDomain(this.#configuration, user);
    if (!domain.mayOpenProvider) {
      throw new StrowgerError(
        ErrorCode.LoginNotAllowed,
        domain.refusal?.reason ?? `${user.userId} is not in "${CtiRole.Enabled}"; add the group.`,
      );
    }
    const provider = new CtiProvider({
      id: `p-${randomUUID()}`,
      user,
      view: buildDomainView(domain, user, (name) => this.#inService(name)),
      ringSize: this.#options.ringSize,
      appInfo: params.appInfo,
      source: context.source,
      openedAt: this.#options.clock.now(),
    });
    this.#providers.set(provider.id, provider);
    this.#hold(provider, context.holder);
    this.#options.logger.info(
      { providerId: provider.id, user: user.userId, kind: user.kind, appInfo: params.appInfo },
      'CTI provider opened',
    );
    return {
      provider,
      result: { ...provider.describe(), resumed: false },
      replay: undefined,
      // JTAPI: the provider comes into service once its device list is known (§2.1).
      after: () => provider.emit([this.#providerEvent('ProvInServiceEv', {})]),
    };
  }

  /** provider.shutdown: ProvShutdownEv is the provider's last event. */
  shutdown(provider: CtiProvider): void {
    provider.emit([this.#providerEvent('ProvShutdownEv', {})]);
    this.#discard(provider);
  }

  /** The provider's whole view, with the calls at its observed terminals and addresses. */
  snapshot(provider: CtiProvider): ProviderSnapshot {
    const calls = new Map<string, CallSnapshot>();
    for (const observer of provider.observers.values()) {
      for (const call of this.#callsAt(observer.target)) calls.set(call.callId, call);
    }
    return { ...provider.describe(), calls: [...calls.values()].map(wireCall) };
  }

  /** provider.createTerminal: the all-devices role acquires a device by name (§3.6). */
  createTerminal(provider: CtiProvider, name: string): { terminal: Terminal; after: () => void } {
    const existing = provider.view.terminals.get(name);
    if (existing !== undefined && !existing.restricted) return { terminal: existing, after: () => undefined };
    if (!provider.user.roles.has(CtiRole.AllowControlOfAllDevices)) {
      throw new StrowgerError(
        ErrorCode.PrivilegeViolation,
        `${provider.user.userId} is not in "${CtiRole.AllowControlOfAllDevices}", so it cannot acquire ${name}; add the group or associate the device.`,
      );
    }
    if (!this.#configuration.devices.has(name)) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `No device named ${name} is configured; check the name.`, {
        details: { path: '/name' },
      });
    }
    const acquired = new Set([...provider.acquired, name]);
    const verdict = evaluateAccess({ configuration: this.#configuration, user: provider.user, device: name, acquired });
    if (verdict.code !== undefined) throw new StrowgerError(verdict.code, verdict.decidedBy.sentence);
    provider.acquired.add(name);
    const change = this.#refresh(provider);
    const terminal = provider.view.terminals.get(name);
    if (terminal === undefined)
      throw new StrowgerError(ErrorCode.Internal, `acquired ${name} but it is not in the domain`);
    return { terminal, after: () => provider.emit(change) };
  }

  /** provider.deleteTerminal: releases an acquired device. */
  deleteTerminal(provider: CtiProvider, name: string): { after: () => void } {
    if (!provider.acquired.delete(name)) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `${name} was not acquired by this provider.`, {
        details: { path: '/name' },
      });
    }
    const change = this.#refresh(provider);
    return { after: () => provider.emit(change) };
  }

  /** observer.add: permission checked now, against the domain as it is now (§3.8). */
  addObserver(
    provider: CtiProvider,
    params: ObserverAddParams,
  ): { observerId: string; seq: number; after: () => void } {
    const target = params.target;
    const refusal =
      target.kind === 'terminal'
        ? terminalRefusal(provider.view, target.name)
        : target.kind === 'address'
          ? addressRefusal(provider.view, target.name)
          : target.kind === 'call'
            ? this.#callRefusal(provider, target.callId)
            : undefined;
    if (refusal !== undefined) throw refusal;
    const observer: Observer = {
      id: provider.newObserverId(),
      target,
      callEvents: target.kind === 'call' || (target.kind !== 'provider' && params.callEvents !== false),
      calls: new Set(),
    };
    provider.observers.set(observer.id, observer);
    const key = targetKey(target);
    if (key !== undefined) {
      let set = this.#byTarget.get(key);
      if (set === undefined) this.#byTarget.set(key, (set = new Set()));
      set.add({ provider, observer });
    }
    const seq = provider.seq;
    const after = (): void => {
      if (!observer.callEvents) return;
      // JTAPI synthesises the calls already in progress as snapshot events (cause 110, meta 135).
      const batch: Addressed[] = [];
      const at = this.#options.clock.now();
      for (const call of this.#callsAt(target)) {
        observer.calls.add(call.callId);
        addressAll(shared(eventsRecreating(call, snapshotCauses, at)), observer.id, batch);
      }
      provider.emit(batch);
    };
    return { observerId: observer.id, seq, after };
  }

  /** A call-control request (domain reference §2.8), checked against the provider's domain first. */
  control<M extends CallControlMethod>(
    provider: CtiProvider,
    method: M,
    params: MethodParams<M>,
  ): Promise<MethodResult<M>> {
    if (this.#control === undefined) {
      return Promise.reject(
        new StrowgerError(ErrorCode.Unsupported, `${method} is not available: this server runs without call control`),
      );
    }
    return this.#control.handle(provider, method, params);
  }

  /** A request about a CTI route point or port (registration, routing, media), checked against the domain. */
  ctiDevice<M extends CtiDeviceMethod>(provider: CtiProvider, method: M, params: MethodParams<M>): MethodResult<M> {
    const devices = this.#options.devices;
    if (devices === undefined) {
      throw new StrowgerError(
        ErrorCode.Unsupported,
        `${method} is not available: this server runs without CTI devices`,
      );
    }
    const handle = ctiDeviceHandlers[method] as CtiDeviceHandler<M>;
    return handle(devices, provider, params);
  }

  removeObserver(provider: CtiProvider, observerId: string): void {
    const observer = provider.observers.get(observerId);
    if (observer === undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `No observer ${observerId} in provider ${provider.id}.`, {
        details: { path: '/observerId' },
      });
    }
    this.#dropObserver(provider, observer);
  }

  /** A session closed: its providers wait `graceMs` for a resume, then go. */
  detach(provider: CtiProvider, holder: ProviderHolder): void {
    if (this.#holders.get(provider.id) !== holder) return;
    this.#holders.delete(provider.id);
    provider.attach(undefined);
    // Its CTI devices cannot wait for a resume: callers would wait on an application that is not there.
    this.#options.devices?.providerLost(provider.id);
    this.#grace.get(provider.id)?.cancel();
    this.#grace.set(
      provider.id,
      this.#options.clock.setTimer(this.#options.graceMs, () => {
        this.#options.logger.info({ providerId: provider.id }, 'CTI provider not resumed in time; closed');
        this.#discard(provider);
      }),
    );
  }

  /** A new configuration: every open provider's domain recomputed, changes sent as Cisco events (§3.4). */
  updateConfiguration(snapshot: ConfigSnapshot): void {
    if (snapshot === this.#snapshot) return;
    this.#snapshot = snapshot;
    this.#reconfigure();
  }

  /**
   * The Extension Mobility logins changed (a login, a logout): each open provider's domain follows, as
   * for a configuration change — terminals and addresses created or removed, restricted or activated.
   */
  updateExtensionMobility(logins: readonly LoginOnDevice[]): void {
    const change = mobilityChangeBetween(this.#mobilityLogins, logins);
    this.#mobilityLogins = logins;
    this.#reconfigure(change);
  }

  #reconfigure(mobility?: MobilityChange): void {
    this.#configuration = CtiConfiguration.fromSnapshot(this.#snapshot, this.#mobilityLogins);
    for (const provider of [...this.#providers.values()]) {
      const user = this.#configuration.usersNamed(provider.user.userId).find((u) => u.kind === provider.user.kind);
      if (user === undefined || !user.roles.has(CtiRole.Enabled)) {
        this.#options.logger.info(
          { providerId: provider.id },
          'CTI provider shut down: its user may no longer use CTI',
        );
        this.#holders.get(provider.id)?.forget(provider.id);
        this.shutdown(provider);
        continue;
      }
      provider.user = user;
      provider.emit(this.#refresh(provider, mobility));
    }
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    for (const timer of this.#grace.values()) timer.cancel();
    this.#grace.clear();
    this.#providers.clear();
    this.#holders.clear();
    this.#byTarget.clear();
  }

  async #authenticate(userId: string, password: string): Promise<CtiUser | undefined> {
    const candidates = [
      ...this.#snapshot.endUsers
        .filter((u) => u.userId === userId)
        .map((u) => ({ kind: 'end-user' as const, hash: u.passwordHash })),
      ...this.#snapshot.applicationUsers
        .filter((u) => u.userId === userId)
        .map((u) => ({ kind: 'application-user' as const, hash: u.passwordHash })),
    ];
    if (candidates.length === 0) {
      await verifyPassword(password, unknownUserHash).catch(() => false);
      return undefined;
    }
    for (const candidate of candidates) {
      if (candidate.hash === undefined) continue;
      if (await verifyPassword(password, candidate.hash).catch(() => false)) {
        return this.#configuration.usersNamed(userId).find((u) => u.kind === candidate.kind);
      }
    }
    return undefined;
  }

  /** §5.3: the same provider, its observers still attached, and the events after `afterSeq` — or nothing. */
  #resume(user: CtiUser, resume: { providerId: string; afterSeq: number }, holder: ProviderHolder): Opened | undefined {
    const provider = this.#providers.get(resume.providerId);
    if (provider === undefined || provider.user.userId !== user.userId || provider.user.kind !== user.kind) {
      return undefined;
    }
    const missed = provider.eventsAfter(resume.afterSeq);
    if (missed === undefined) {
      // The gap cannot be filled: the client gets a new provider and rebuilds from its snapshots.
      this.#holders.get(provider.id)?.forget(provider.id);
      this.#discard(provider);
      return undefined;
    }
    this.#grace.get(provider.id)?.cancel();
    this.#grace.delete(provider.id);
    const previous = this.#holders.get(provider.id);
    if (previous !== undefined && previous !== holder) previous.forget(provider.id);
    this.#hold(provider, holder);
    this.#options.devices?.providerResumed(provider.id);
    this.#options.logger.info({ providerId: provider.id, replayed: missed.length }, 'CTI provider resumed');
    return {
      provider,
      result: { ...provider.describe(), seq: resume.afterSeq, resumed: true },
      replay: { afterSeq: resume.afterSeq, events: missed },
      after: () => undefined,
    };
  }

  #hold(provider: CtiProvider, holder: ProviderHolder): void {
    this.#holders.set(provider.id, holder);
    provider.attach(holder);
  }

  #discard(provider: CtiProvider): void {
    this.#options.devices?.providerClosed(provider.id);
    this.#grace.get(provider.id)?.cancel();
    this.#grace.delete(provider.id);
    for (const observer of [...provider.observers.values()]) this.#unindex(provider, observer);
    provider.observers.clear();
    provider.attach(undefined);
    this.#providers.delete(provider.id);
    this.#holders.delete(provider.id);
  }

  #dropObserver(provider: CtiProvider, observer: Observer): void {
    provider.observers.delete(observer.id);
    this.#unindex(provider, observer);
  }

  #unindex(provider: CtiProvider, observer: Observer): void {
    const key = targetKey(observer.target);
    if (key === undefined) return;
    const set = this.#byTarget.get(key);
    if (set === undefined) return;
    for (const entry of set) if (entry.provider === provider && entry.observer === observer) set.delete(entry);
    if (set.size === 0) this.#byTarget.delete(key);
  }

  /**
   * Recomputes the provider's domain; returns the events that tell the application what changed. An
   * Extension Mobility login or logout (`mobility`) is bracketed as CUCM's phone reset is (§1.5, §3.5):
   * CiscoProvTerminalUnRegisteredEv for the phone as it was, the domain's changes with their EM causes,
   * then CiscoProvTerminalRegisteredEv for the phone as it is, each where the domain has it unrestricted
   * and registered.
   */
  #refresh(provider: CtiProvider, mobility?: MobilityChange): Addressed[] {
    const domain = computeProviderDomain(this.#configuration, provider.user, provider.acquired);
    const view: DomainView = buildDomainView(domain, provider.user, (name) => this.#inService(name));
    const at = this.#options.clock.now();
    const change = diffDomains(provider.view, view, at, mobility);
    const registration = (
      type: 'CiscoProvTerminalUnRegisteredEv' | 'CiscoProvTerminalRegisteredEv',
      from: DomainView,
    ): Addressed[] =>
      [...(mobility ?? [])].flatMap(([name, onDevice]) => {
        const terminal = from.terminals.get(name);
        if (terminal === undefined || terminal.restricted || !terminal.inService) return [];
        const fields = { name, reason: registrationReasonOf(onDevice), loginUserId: onDevice.userId };
        return [this.#providerEvent(type, fields, at)];
      });
    const unregistered = registration('CiscoProvTerminalUnRegisteredEv', provider.view);
    const registered = registration('CiscoProvTerminalRegisteredEv', view);
    provider.view = view;
    const batch: Addressed[] = [
      ...unregistered,
      ...change.events.map((body) => ({ event: new SharedEvent(body), observerId: null })),
    ];
    const lostTerminals = new Set(change.lostTerminals);
    const lostAddresses = new Set(change.lostAddresses);
    for (const observer of [...provider.observers.values()]) {
      const target = observer.target;
      if (target.kind === 'terminal' && lostTerminals.has(target.name)) {
        this.#dropObserver(provider, observer);
        batch.push(this.#addressed('TermObservationEndedEv', { name: target.name }, observer.id, at));
      } else if (target.kind === 'address' && lostAddresses.has(target.name)) {
        this.#dropObserver(provider, observer);
        batch.push(this.#addressed('AddrObservationEndedEv', { name: target.name }, observer.id, at));
      }
    }
    batch.push(...registered);
    return batch;
  }

  #inService(name: string): boolean {
    return this.#options.engine.snapshotDevice(name)?.inService === true;
  }

  #callsAt(target: Target): CallSnapshot[] {
    const engine = this.#options.engine;
    switch (target.kind) {
      case 'terminal':
        return [...(engine.snapshotDevice(target.name)?.calls ?? [])];
      case 'address':
        return [...(engine.snapshotLine(target.name)?.calls ?? [])];
      case 'call': {
        const call = engine.snapshotCall(target.callId)?.call;
        return call === undefined ? [] : [call];
      }
      case 'provider':
        return [];
    }
  }

  /** A call may be observed when one of its terminals or addresses can be (JTAPI Call.addObserver). */
  #callRefusal(provider: CtiProvider, callId: string): StrowgerError | undefined {
    const call = this.#options.engine.snapshotCall(callId)?.call;
    if (call === undefined) return new StrowgerError(ErrorCode.NotFound, `No call ${callId} is in progress.`);
    const reachable = call.connections.some(
      (connection) =>
        addressRefusal(provider.view, connection.address) === undefined ||
        connection.terminalConnections.some((tc) => terminalRefusal(provider.view, tc.terminal) === undefined),
    );
    return reachable
      ? undefined
      : new StrowgerError(
          ErrorCode.AccessToDeviceDenied,
          `Call ${callId} has no terminal or address in this provider's domain.`,
        );
  }

  #onCallEvent(event: CallEvent): void {
    const before = this.#tracker.parties(event.callId);
    const keys = new Set<string>([`c:${event.callId}`]);
    for (const address of before.addresses) keys.add(`a:${address}`);
    for (const terminal of before.terminals) keys.add(`t:${terminal}`);
    if ('address' in event) keys.add(`a:${event.address}`);
    if ('terminal' in event) keys.add(`t:${event.terminal}`);
    const watchers: Array<{ provider: CtiProvider; observer: Observer }> = [];
    for (const key of keys) {
      for (const entry of this.#byTarget.get(key) ?? []) if (entry.observer.callEvents) watchers.push(entry);
    }
    // An observer that starts seeing the call midway first gets the call as it was (§2.7: the far
    // side appears as an already-connected connection), then the event itself.
    const needsCatchUp = watchers.some(({ observer }) => !observer.calls.has(event.callId));
    const current = needsCatchUp ? this.#tracker.snapshot(event.callId) : undefined;
    const catchUp = current === undefined ? [] : shared(eventsRecreating(current, catchUpCauses, event.at));
    const ending = this.#tracker.endsObservation(event)
      ? new SharedEvent(observationEnded(event, event.at))
      : undefined;
    const previous = this.#tracker.apply(event);
    if (watchers.length === 0) return;
    // Built and serialized once, however many providers receive them.
    const bodies = shared(jtapiEventsOf(event, previous));
    const batches = new Map<CtiProvider, Addressed[]>();
    const seen = new Set<Observer>();
    for (const { provider, observer } of watchers) {
      if (seen.has(observer)) continue;
      seen.add(observer);
      let batch = batches.get(provider);
      if (batch === undefined) batches.set(provider, (batch = []));
      if (!observer.calls.has(event.callId)) {
        observer.calls.add(event.callId);
        addressAll(catchUp, observer.id, batch);
      }
      addressAll(bodies, observer.id, batch);
      if (ending !== undefined) {
        observer.calls.delete(event.callId);
        batch.push({ event: ending, observerId: observer.id });
      }
    }
    for (const [provider, batch] of batches) provider.emit(batch);
  }

  /** A phone registering or losing its registration: CiscoTerm/AddrIn/OutOfServiceEv (§1.5). */
  #onDeviceEvent(event: DeviceEvent): void {
    if (event.type === 'terminal.inService' || event.type === 'terminal.outOfService') {
      const inService = event.type === 'terminal.inService';
      for (const provider of this.#providers.values())
        this.#terminalService(provider, event.terminal, inService, event.at);
    } else if (event.type === 'terminal.doNotDisturb') {
      // JTAPI's CallCtlTermDoNotDisturbEv, to every provider whose domain has the terminal.
      for (const provider of this.#providers.values()) {
        const terminal = provider.view.terminals.get(event.terminal);
        if (terminal === undefined || terminal.restricted) continue;
        const fields = { name: event.terminal, on: event.on };
        provider.emit([this.#providerEvent('CallCtlTermDoNotDisturbEv', fields, event.at)]);
      }
    } else if (event.type === 'address.forwarding' || event.type === 'address.messageWaiting') {
      // JTAPI's CallCtlAddrForwardEv and CallCtlAddrMessageWaitingEv, to every provider with the line.
      const body =
        event.type === 'address.forwarding'
          ? ({
              type: 'CallCtlAddrForwardEv',
              fields: { name: event.address, forwardAll: event.forwardAll ?? null },
            } as const)
          : ({ type: 'CallCtlAddrMessageWaitingEv', fields: { name: event.address, waiting: event.waiting } } as const);
      for (const provider of this.#providers.values()) {
        const address = provider.view.addresses.get(event.address);
        if (address === undefined || address.restricted) continue;
        provider.emit([this.#providerEvent(body.type, body.fields, event.at)]);
      }
    } else if (event.type === 'address.inService' || event.type === 'address.outOfService') {
      const inService = event.type === 'address.inService';
      for (const provider of this.#providers.values()) {
        this.#addressService(provider, event.address, event.terminal, inService, event.at);
      }
    }
  }

  #terminalService(provider: CtiProvider, name: string, inService: boolean, at: number): void {
    const terminal = provider.view.terminals.get(name);
    if (terminal === undefined || terminal.restricted || terminal.inService === inService) return;
    provider.view.terminals.set(name, { ...terminal, inService });
    provider.emit([
      inService
        ? this.#providerEvent('CiscoTermInServiceEv', { name }, at)
        : this.#providerEvent('CiscoTermOutOfServiceEv', { name, cause: 0 }, at),
    ]);
  }

  #addressService(provider: CtiProvider, dn: string, terminal: string, inService: boolean, at: number): void {
    const address = provider.view.addresses.get(dn);
    const appearance = address?.terminals.find((t) => t.terminal === terminal);
    if (address === undefined || appearance === undefined || appearance.restricted) return;
    if (appearance.inService === inService) return;
    const terminals = address.terminals.map((t) => (t === appearance ? { ...t, inService } : t));
    provider.view.addresses.set(dn, { ...address, terminals, inService: terminals.some((t) => t.inService) });
    const type = inService ? 'CiscoAddrInServiceEv' : 'CiscoAddrOutOfServiceEv';
    provider.emit([this.#providerEvent(type, { name: dn, terminal }, at)]);
  }

  #providerEvent(type: EventBody['type'], fields: object, at = this.#options.clock.now()): Addressed {
    return this.#addressed(type, fields, null, at);
  }

  #addressed(type: EventBody['type'], fields: object, observerId: string | null, at: number): Addressed {
    return { event: new SharedEvent({ ...fields, at, id: EventId[type], type } as EventBody), observerId };
  }
}

function shared(bodies: readonly EventBody[]): SharedEvent[] {
  return bodies.map((body) => new SharedEvent(body));
}

function targetKey(target: Target): string | undefined {
  switch (target.kind) {
    case 'terminal':
      return `t:${target.name}`;
    case 'address':
      return `a:${target.name}`;
    case 'call':
      return `c:${target.callId}`;
    case 'provider':
      return undefined;
  }
}

/** The engine's call snapshot as the protocol states it. */
function wireCall(call: CallSnapshot): WireCallSnapshot {
  return {
    callId: call.callId,
    state: call.state,
    callingAddress: call.callingAddress,
    calledAddress: call.calledAddress,
    lastRedirectedAddress: call.lastRedirectedAddress ?? null,
    currentCallingAddress: call.currentCallingAddress,
    currentCalledAddress: call.currentCalledAddress,
    callingName: call.callingName ?? null,
    currentCallingName: call.currentCallingName ?? null,
    connections: call.connections.map((connection) => ({
      address: connection.address,
      connectionState: connection.coreState,
      callControlState: connection.state,
      reason: connectionReasonValue[connection.reason],
      terminalConnections: connection.terminalConnections.map((tc) => ({
        terminal: tc.terminal,
        terminalConnectionState: tc.coreState,
        callControlTerminalConnectionState: tc.state,
      })),
    })),
  };
}
