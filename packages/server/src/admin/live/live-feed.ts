import type { Clock, TimerHandle } from '../../core/index.js';
import type { CallDirectoryView, CallView } from '../call-view.js';
import type { DeviceDirectoryView, DeviceView } from '../device-view.js';
import type { CtiSessionsView } from '../routes/runtime.js';

/** What changed in the running server, as the composition root learns it from the registrar, engine and CTI layer. */
export type LiveChange = { kind: 'registration'; device: string } | { kind: 'calls' } | { kind: 'cti-sessions' };

/** Where the live feed hears of changes; the composition root adapts the registrar and the engine to it. */
export interface LiveSource {
  /** Calls `listener` for every change until the returned function is called. */
  subscribe(listener: (change: LiveChange) => void): () => void;
}

/** One event of the feed, as the event stream carries it (`event:` name and `data:` JSON). */
export type LiveEvent =
  | { event: 'snapshot'; data: { devices: DeviceView[]; calls: CallView[]; ctiSessions: CtiSessionsView } }
  | { event: 'registration'; data: DeviceView }
  | { event: 'calls'; data: { items: CallView[] } }
  | { event: 'cti-sessions'; data: CtiSessionsView };

export interface LiveFeedOptions {
  source: LiveSource;
  devices: DeviceDirectoryView;
  calls: CallDirectoryView;
  ctiSessions: () => CtiSessionsView;
  clock: Clock;
  /**
   * How long changes of calls and CTI sessions are gathered into one event: a call's setup is a
   * dozen engine events, and a browser needs the state after them, not each one.
   */
  coalesceMs?: number;
  /** CTI sessions have no change events of their own; they are compared this often while anyone listens. */
  ctiPollMs?: number;
}

/**
 * Fans the server's changes out to the web UI's event streams: a device's new registration state
 * at once, the list of calls and of CTI sessions coalesced. It follows the source only while at
 * least one stream listens, so an idle server pays nothing for it.
 */
export class LiveFeed {
  readonly #options: LiveFeedOptions;
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  #unsubscribe: (() => void) | undefined;
  #callsTimer: TimerHandle | undefined;
  #ctiTimer: TimerHandle | undefined;
  #ctiPoll: TimerHandle | undefined;
  #lastCti = '';

  constructor(options: LiveFeedOptions) {
    this.#options = options;
  }

  /** The state now, which a new stream starts with. */
  snapshot(): LiveEvent & { event: 'snapshot' } {
    return {
      event: 'snapshot',
      data: {
        devices: this.#options.devices.listDevices(),
        calls: this.#options.calls.listCalls(),
        ctiSessions: this.#ctiSessions(),
      },
    };
  }

  /** Listens until the returned function is called. */
  listen(listener: (event: LiveEvent) => void): () => void {
    this.#listeners.add(listener);
    if (this.#unsubscribe === undefined) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  close(): void {
    this.#listeners.clear();
    this.#stop();
  }

  #start(): void {
    this.#lastCti = JSON.stringify(this.#ctiSessions());
    this.#unsubscribe = this.#options.source.subscribe((change) => this.#changed(change));
    this.#pollCti();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const timer of [this.#callsTimer, this.#ctiTimer, this.#ctiPoll]) timer?.cancel();
    this.#callsTimer = undefined;
    this.#ctiTimer = undefined;
    this.#ctiPoll = undefined;
  }

  #changed(change: LiveChange): void {
    const coalesceMs = this.#options.coalesceMs ?? 100;
    if (change.kind === 'registration') {
      const device = this.#options.devices.listDevices().find((d) => d.name === change.device);
      if (device !== undefined) this.#emit({ event: 'registration', data: device });
      // A CTI port in or out of service is an application opening or closing it.
      if (device?.type !== 'sip-phone') this.#changed({ kind: 'cti-sessions' });
    } else if (change.kind === 'calls') {
      this.#callsTimer ??= this.#options.clock.setTimer(coalesceMs, () => {
        this.#callsTimer = undefined;
        this.#emit({ event: 'calls', data: { items: this.#options.calls.listCalls() } });
      });
    } else {
      this.#ctiTimer ??= this.#options.clock.setTimer(coalesceMs, () => {
        this.#ctiTimer = undefined;
        this.#emitCtiIfChanged();
      });
    }
  }

  #pollCti(): void {
    this.#ctiPoll = this.#options.clock.setTimer(this.#options.ctiPollMs ?? 2000, () => {
      this.#emitCtiIfChanged();
      if (this.#unsubscribe !== undefined) this.#pollCti();
    });
  }

  #emitCtiIfChanged(): void {
    const sessions = this.#ctiSessions();
    const text = JSON.stringify(sessions);
    if (text === this.#lastCti) return;
    this.#lastCti = text;
    this.#emit({ event: 'cti-sessions', data: sessions });
  }

  #ctiSessions(): CtiSessionsView {
    return this.#options.ctiSessions();
  }

  #emit(event: LiveEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
