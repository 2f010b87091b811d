/**
 * Scripted fakes of the IVR's platform ports: a caller who presses keys and hangs up when given
 * prompts play, CTI ports, and route requests the test ends when it likes.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FakeClock } from '@strowger/core';
import { writeWav } from '@strowger/media';
import type {
  CollectOptions,
  CollectOutcome,
  IvrCall,
  IvrPlatform,
  IvrPort,
  PlayOutcome,
  RecordOptions,
  RecordOutcome,
  RedirectReason,
  RouteRequest,
} from '../src/platform.js';

/** What the caller does when a prompt plays: press keys, hang up. */
export interface Step {
  /** The prompt (file name without .wav) that triggers the step; ending in "-", any prompt it begins. */
  readonly on: string;
  readonly press?: string;
  readonly hangUp?: boolean;
  /** Seconds after the prompt the caller acts (on the call's clock); at once without it. */
  readonly afterSeconds?: number;
}

/** Speech-like audio: a tone with a slow tremolo, never silence. */
export function speech(seconds: number): Int16Array {
  return Int16Array.from({ length: seconds * 8000 }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000) * (0.6 + 0.4 * Math.sin(i / 700))),
  );
}

const promptName = (file: string) => basename(file).replace(/\.wav$/, '');

export class FakeCall implements IvrCall {
  readonly id: string;
  readonly calling: string;
  readonly called: string;
  readonly originalCalled?: string;
  readonly redirectReason?: RedirectReason;
  readonly ended: Promise<void>;
  /** Every prompt played, by name, in order. */
  readonly played: string[] = [];
  readonly recordings: string[] = [];
  transferredTo: string | undefined;
  hungUpByIvr = false;
  callerHungUp = false;
  /** What the next recording hears. */
  nextRecording: { seconds: number; heardSound: boolean; reason: RecordOutcome['reason'] } = {
    seconds: 3,
    heardSound: true,
    reason: 'terminator',
  };
  #keys = '';
  #steps: Step[];
  #end!: () => void;
  /** Without a clock a question with no key typed ahead times out at once. */
  readonly #clock: FakeClock | undefined;
  #keyWaiter: (() => void) | undefined;

  constructor(options: {
    id?: string;
    calling: string;
    called: string;
    originalCalled?: string;
    redirectReason?: RedirectReason;
    steps?: Step[];
    clock?: FakeClock;
  }) {
    this.#clock = options.clock;
    this.id = options.id ?? `call-${Math.random().toString(36).slice(2)}`;
    this.calling = options.calling;
    this.called = options.called;
    if (options.originalCalled !== undefined) this.originalCalled = options.originalCalled;
    if (options.redirectReason !== undefined) this.redirectReason = options.redirectReason;
    this.#steps = [...(options.steps ?? [])];
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  get gone(): boolean {
    return this.callerHungUp || this.hungUpByIvr || this.transferredTo !== undefined;
  }

  /** Steps not reached: a test that scripted more than happened fails on it. */
  get stepsLeft(): readonly Step[] {
    return this.#steps;
  }

  press(keys: string): void {
    this.#keys += keys;
    this.#wake();
  }

  hangUp(): void {
    this.callerHungUp = true;
    this.#end();
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#keyWaiter;
    this.#keyWaiter = undefined;
    waiter?.();
  }

  /** Waits on the clock for a key (true) or the timeout (false). */
  #waitForKey(ms: number): Promise<boolean> {
    const clock = this.#clock;
    if (clock === undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = clock.setTimer(ms, () => {
        this.#keyWaiter = undefined;
        resolve(false);
      });
      this.#keyWaiter = () => {
        timer.cancel();
        resolve(true);
      };
    });
  }

  #act(step: Step): void {
    const act = () => {
      if (step.press !== undefined) this.press(step.press);
      if (step.hangUp === true) this.hangUp();
    };
    if (step.afterSeconds === undefined || this.#clock === undefined) act();
    else this.#clock.setTimer(step.afterSeconds * 1000, act);
  }

  async play(files: readonly string[], options: { interruptible?: boolean } = {}): Promise<PlayOutcome> {
    await Promise.resolve();
    for (const file of files) {
      if (this.gone) return { reason: 'hangup' };
      if (options.interruptible === true && this.#keys.length > 0)
        return { reason: 'digit', interruptedBy: this.#keys[0] };
      const name = promptName(file);
      this.played.push(name);
      const step = this.#steps[0];
      if (step !== undefined && (step.on === name || (step.on.endsWith('-') && name.startsWith(step.on)))) {
        this.#steps.shift();
        this.#act(step);
        if (this.gone) return { reason: 'hangup' };
        if (options.interruptible === true && this.#keys.length > 0)
          return { reason: 'digit', interruptedBy: this.#keys[0] };
      }
    }
    return { reason: 'finished' };
  }

  async collectDigits(options: CollectOptions): Promise<CollectOutcome> {
    await Promise.resolve();
    let digits = '';
    for (;;) {
      while (this.#keys.length > 0) {
        const key = this.#keys[0] as string;
        this.#keys = this.#keys.slice(1);
        if (key === options.terminator) return { digits, reason: 'terminator' };
        digits += key;
        if (digits.length >= options.max) return { digits, reason: 'max' };
      }
      if (this.gone) return { digits, reason: 'hangup' };
      const seconds = digits === '' ? options.timeoutSeconds : (options.interDigitSeconds ?? 3);
      if (!(await this.#waitForKey(seconds * 1000))) return { digits, reason: this.gone ? 'hangup' : 'timeout' };
    }
  }

  async record(file: string, _options: RecordOptions): Promise<RecordOutcome> {
    if (this.gone) return { seconds: 0, reason: 'hangup', heardSound: false };
    const { seconds, heardSound, reason } = this.nextRecording;
    await writeFile(file, writeWav(heardSound ? speech(seconds) : new Int16Array(seconds * 8000), 'pcm16'));
    this.recordings.push(file);
    if (reason === 'hangup') this.hangUp();
    return { seconds, heardSound, reason };
  }

  clearDigits(): void {
    this.#keys = '';
  }

  async transfer(destination: string): Promise<void> {
    this.transferredTo = destination;
    this.#end();
  }

  async hangup(): Promise<void> {
    if (this.gone) return;
    this.hungUpByIvr = true;
    this.#end();
  }
}

export class FakePort implements IvrPort {
  readonly name: string;
  readonly dn: string;
  inService = true;
  #onCall: ((call: IvrCall) => void) | undefined;
  #onService: ((inService: boolean) => void) | undefined;

  constructor(name: string, dn: string) {
    this.name = name;
    this.dn = dn;
  }

  onCall(handler: (call: IvrCall) => void): void {
    this.#onCall = handler;
  }

  onServiceChange(handler: (inService: boolean) => void): void {
    this.#onService = handler;
  }

  /** A call arrives on the port. */
  ring(call: IvrCall): void {
    this.#onCall?.(call);
  }

  setInService(inService: boolean): void {
    this.inService = inService;
    this.#onService?.(inService);
  }
}

export class FakeRouteRequest implements RouteRequest {
  readonly sessionId: string;
  readonly callId: string;
  readonly routePoint: string;
  readonly calling: string;
  readonly called: string;
  readonly originalCalled?: string;
  readonly reason?: RedirectReason;
  readonly ended: Promise<void>;
  selected: readonly string[] | undefined;
  endedByApp = false;
  /** Makes the next selectRoute fail, as a destination that refuses would. */
  failNextSelect = false;
  #end!: () => void;

  constructor(fields: {
    callId: string;
    routePoint: string;
    calling: string;
    called: string;
    originalCalled?: string;
    reason?: RedirectReason;
  }) {
    this.sessionId = `rs-${fields.callId}`;
    this.callId = fields.callId;
    this.routePoint = fields.routePoint;
    this.calling = fields.calling;
    this.called = fields.called;
    if (fields.originalCalled !== undefined) this.originalCalled = fields.originalCalled;
    if (fields.reason !== undefined) this.reason = fields.reason;
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  async selectRoute(destinations: readonly string[]): Promise<void> {
    // The answer comes back over the network: after what happened meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNextSelect) {
      this.failNextSelect = false;
      throw new Error('destination busy');
    }
    this.selected = destinations;
    this.#end();
  }

  async endRoute(): Promise<void> {
    this.endedByApp = true;
    this.#end();
  }

  /** The server ends the request: the route timeout forwarded it, or the caller hung up. */
  end(): void {
    this.#end();
  }
}

export class FakePlatform implements IvrPlatform {
  readonly ports: FakePort[];
  readonly lamps: { dn: string; waiting: boolean }[] = [];
  #onRoute: ((request: RouteRequest) => void) | undefined;

  constructor(ports: { name: string; dn: string }[]) {
    this.ports = ports.map((p) => new FakePort(p.name, p.dn));
  }

  onRouteRequest(handler: (request: RouteRequest) => void): void {
    this.#onRoute = handler;
  }

  offer(request: FakeRouteRequest): FakeRouteRequest {
    this.#onRoute?.(request);
    return request;
  }

  async setMessageWaiting(dn: string, waiting: boolean): Promise<void> {
    this.lamps.push({ dn, waiting });
  }

  port(dn: string): FakePort {
    const port = this.ports.find((p) => p.dn === dn);
    if (port === undefined) throw new Error(`no port ${dn}`);
    return port;
  }
}

/** Lets promise callbacks run (the dispatcher reacts to settled promises). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
