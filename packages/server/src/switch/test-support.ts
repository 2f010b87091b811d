import { ErrorCode, FakeClock, StrowgerError } from '../core/index.js';
import type { SwitchConfig, SwitchDevice, SwitchLine } from './config.js';
import type { CallEvent, DeviceEvent } from './events.js';
import type {
  AlertRequest,
  CallRecord,
  ConferenceBridge,
  DeviceDriver,
  DigitSender,
  LegId,
  MediaEndpoint,
  MediaResources,
  MidCallInfo,
  ReleaseCause,
  SessionDescription,
} from './ports.js';
import { Switch } from './switch.js';

/** What a fake driver was told to do, in order. */
export type DriverCommand =
  | { kind: 'alert'; leg: LegId; device: string; request: AlertRequest }
  | { kind: 'cancel'; leg: LegId; cause: ReleaseCause }
  | { kind: 'release'; leg: LegId; cause: ReleaseCause }
  | { kind: 'progress'; leg: LegId; earlyMedia: SessionDescription | undefined }
  | {
      kind: 'connected';
      leg: LegId;
      answer: SessionDescription | undefined;
      connectedNumber: string;
      focus?: boolean;
    }
  | { kind: 'updateMedia'; leg: LegId; offer: SessionDescription }
  | { kind: 'requestOffer'; leg: LegId }
  | { kind: 'sendInfo'; leg: LegId; info: MidCallInfo }
  | { kind: 'answerOffer'; leg: LegId; answer: SessionDescription | undefined }
  | { kind: 'answer'; leg: LegId }
  | { kind: 'messageWaiting'; leg: string; line: string; waiting: boolean };

/** A device driver that records the engine's commands; tests play the devices' part by hand. */
export class FakeDriver implements DeviceDriver {
  readonly inService = new Set<string>();
  readonly commands: DriverCommand[] = [];
  refuseMediaUpdates = false;
  refuseOfferRequests = false;
  /** When set, a requested offer is a real session description (hold by request reads its direction). */
  offersSdp = false;
  /** The status devices answer SIP INFO with (415: they do not read it). */
  infoStatus = 415;
  /** When set, `answer` (a remote answer request) is refused as a device that cannot do it. */
  refuseAnswerRequests = false;
  /** When set, media updates wait here for the test to settle them (a re-INVITE in flight). */
  deferredMediaUpdates:
    Array<{ leg: LegId; resolve: (answer: string) => void; reject: (error: Error) => void }> | undefined;

  isInService(device: string): boolean {
    return this.inService.has(device);
  }

  alert(request: AlertRequest): void {
    this.commands.push({ kind: 'alert', leg: request.leg, device: request.device, request });
  }

  cancel(leg: LegId, cause: ReleaseCause): void {
    this.commands.push({ kind: 'cancel', leg, cause });
  }

  release(leg: LegId, cause: ReleaseCause): void {
    this.commands.push({ kind: 'release', leg, cause });
  }

  progress(leg: LegId, info: { earlyMedia?: SessionDescription }): void {
    this.commands.push({ kind: 'progress', leg, earlyMedia: info.earlyMedia });
  }

  connected(
    leg: LegId,
    info: { answer: SessionDescription | undefined; connectedParty: { number: string }; focus?: boolean },
  ): void {
    this.commands.push({
      kind: 'connected',
      leg,
      answer: info.answer,
      connectedNumber: info.connectedParty.number,
      ...(info.focus === true ? { focus: true } : {}),
    });
  }

  updateMedia(leg: LegId, offer: SessionDescription): Promise<SessionDescription> {
    this.commands.push({ kind: 'updateMedia', leg, offer });
    const deferred = this.deferredMediaUpdates;
    if (deferred !== undefined) return new Promise((resolve, reject) => deferred.push({ leg, resolve, reject }));
    if (this.refuseMediaUpdates) return Promise.reject(new Error('488 Not Acceptable Here'));
    return Promise.resolve(`answer to ${offer}`);
  }

  requestOffer(leg: LegId): Promise<SessionDescription> {
    this.commands.push({ kind: 'requestOffer', leg });
    if (this.refuseOfferRequests) return Promise.reject(new Error('the phone sent no offer'));
    return Promise.resolve(this.offersSdp ? sdpOffer(leg) : `offer from ${leg}`);
  }

  /** `leg` names the device: the lamp is a device's, not a call's. */
  messageWaiting(device: string, line: string, waiting: boolean): void {
    this.commands.push({ kind: 'messageWaiting', leg: device, line, waiting });
  }

  answer(leg: LegId): Promise<void> {
    this.commands.push({ kind: 'answer', leg });
    if (this.refuseAnswerRequests)
      return Promise.reject(new StrowgerError(ErrorCode.Unsupported, 'this phone cannot be answered remotely'));
    return Promise.resolve();
  }

  answerOffer(leg: LegId, answer: SessionDescription | undefined): void {
    this.commands.push({ kind: 'answerOffer', leg, answer });
  }

  sendInfo(leg: LegId, info: MidCallInfo): Promise<number> {
    this.commands.push({ kind: 'sendInfo', leg, info });
    return Promise.resolve(this.infoStatus);
  }

  /** The commands of one kind, narrowed. */
  take<K extends DriverCommand['kind']>(kind: K): Array<Extract<DriverCommand, { kind: K }>> {
    return this.commands.filter((c): c is Extract<DriverCommand, { kind: K }> => c.kind === kind);
  }

  alertFor(device: string): Extract<DriverCommand, { kind: 'alert' }> {
    const found = this.take('alert').filter((c) => c.device === device);
    const last = found.at(-1);
    if (last === undefined) throw new Error(`${device} was never alerted`);
    return last;
  }
}

/** A media endpoint that records what it was asked; its descriptions name it. */
export class FakeEndpoint implements MediaEndpoint {
  readonly name: string;
  readonly accepted: SessionDescription[] = [];
  closed = false;

  constructor(name: string) {
    this.name = name;
  }

  offer(direction: 'sendonly' | 'sendrecv'): SessionDescription {
    return `${this.name} offer ${direction}`;
  }

  accept(answer: SessionDescription): void {
    this.accepted.push(answer);
  }

  answer(offer: SessionDescription, direction: 'recvonly' | 'sendrecv'): SessionDescription | undefined {
    return /RTP\/AVP 18\r/.test(offer) ? undefined : `${this.name} answer ${direction}`; // G.729 only: unusable
  }

  close(): void {
    this.closed = true;
  }
}

/** Media resources whose endpoints are fakes, kept for the test to look at. */
export class FakeMedia implements MediaResources {
  readonly endpoints: FakeEndpoint[] = [];
  readonly bridges: Array<{ endpoints: FakeEndpoint[]; closed: boolean }> = [];

  musicOnHold(): Promise<MediaEndpoint> {
    const endpoint = new FakeEndpoint(`moh${this.endpoints.length + 1}`);
    this.endpoints.push(endpoint);
    return Promise.resolve(endpoint);
  }

  conferenceBridge(): ConferenceBridge {
    const bridge = { endpoints: [] as FakeEndpoint[], closed: false };
    this.bridges.push(bridge);
    return {
      join: () => {
        const endpoint = new FakeEndpoint(`bridge${this.bridges.length}.${bridge.endpoints.length + 1}`);
        bridge.endpoints.push(endpoint);
        return Promise.resolve(endpoint);
      },
      close: () => {
        bridge.closed = true;
      },
    };
  }
}

/** A digit sender that records what it was asked; its descriptions name it. */
export class FakeDigitSender extends FakeEndpoint implements DigitSender {
  readonly sent: string[] = [];

  sendDigits(digits: string): Promise<void> {
    this.sent.push(digits);
    return Promise.resolve();
  }
}

/** Media resources that can also send DTMF in RTP. */
export class FakeMediaWithDigits extends FakeMedia {
  readonly digitSenders: FakeDigitSender[] = [];

  digitSender(): Promise<DigitSender> {
    const sender = new FakeDigitSender(`digits${this.digitSenders.length + 1}`);
    this.digitSenders.push(sender);
    return Promise.resolve(sender);
  }
}

export function line(dn: string, extra: Partial<SwitchLine> = {}): SwitchLine {
  return { dn, forward: {}, noAnswerSeconds: 12, maxCalls: 2, busyTrigger: 1, ...extra };
}

export function phone(name: string, lines: string[]): SwitchDevice {
  return { name, type: 'sip-phone', lines };
}

export function routePoint(name: string, lines: string[]): SwitchDevice {
  return { name, type: 'cti-route-point', lines };
}

export function ctiPort(name: string, dn: string): SwitchDevice {
  return { name, type: 'cti-port', lines: [dn] };
}

export interface Harness {
  engine: Switch;
  driver: FakeDriver;
  clock: FakeClock;
  events: CallEvent[];
  /** Device and line events (service, configuration), in order. */
  deviceEvents: DeviceEvent[];
  records: CallRecord[];
  media: FakeMedia;
  /** Lets the engine's queued driver commands run. */
  settle(): Promise<void>;
}

/** An engine over a fake driver and clock; every phone of `config` is in service unless listed. */
export function harness(
  config: SwitchConfig,
  options: { outOfService?: string[]; withoutMedia?: boolean; digitsInRtp?: boolean } = {},
): Harness {
  const clock = new FakeClock();
  const driver = new FakeDriver();
  for (const device of config.devices)
    if (!options.outOfService?.includes(device.name)) driver.inService.add(device.name);
  const records: CallRecord[] = [];
  const media = options.digitsInRtp === true ? new FakeMediaWithDigits() : new FakeMedia();
  const engine = new Switch({
    clock,
    // One fake plays every kind of device: phones, and the applications behind CTI route points and ports.
    drivers: { 'sip-phone': driver, 'cti-route-point': driver, 'cti-port': driver },
    records: { write: (r) => records.push(r) },
    ...(options.withoutMedia === true ? {} : { media }),
    config,
  });
  const events: CallEvent[] = [];
  engine.events.on('call', (event) => events.push(event));
  const deviceEvents: DeviceEvent[] = [];
  engine.events.on('device', (event) => deviceEvents.push(event));
  return {
    engine,
    driver,
    clock,
    events,
    deviceEvents,
    records,
    media,
    settle: () => new Promise((done) => setImmediate(done)),
  };
}

/** What an engine test may leave behind; every count must be zero when it ends. */
export function leftovers(h: Harness): { calls: number; legs: number; timers: number } {
  return { calls: h.engine.callCount, legs: h.engine.legCount, timers: h.clock.pendingTimers };
}

/** A G.711 offer as a phone makes it, naming the leg in its session name; sendrecv. */
export function sdpOffer(leg: string): SessionDescription {
  return [
    'v=0',
    'o=- 1 1 IN IP4 192.0.2.1',
    `s=${leg}`,
    'c=IN IP4 192.0.2.1',
    't=0 0',
    'm=audio 4000 RTP/AVP 0',
    'a=sendrecv',
    '',
  ].join('\r\n');
}
