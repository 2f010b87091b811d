import type { RtpSession } from '@strowger/media';
import { openRtpSession, type OpenRtpSessionOptions } from '@strowger/media/node';
import type { CallEvent, DeviceEvent } from '../events.js';
import type { Call } from '../model/call.js';
import type { Terminal } from '../model/terminal.js';
import type { Provider } from '../provider.js';
import type { Codec } from '../wire.js';

export interface MediaPortOptions {
  /**
   * The address this application receives RTP on, as the far end reaches it: it is bound, and given
   * to the server for the SDP (default 127.0.0.1, for an application on the server's machine).
   */
  readonly address?: string;
  /** An even RTP port to bind (default a free one). */
  readonly port?: number;
  /** The codecs to accept, in order of preference (default both G.711 laws). */
  readonly codecs?: readonly Codec[];
  /** Answer a ringing call by itself (default true): a port is a machine that picks up. */
  readonly autoAnswer?: boolean;
  /** The rest of the RTP session's options (files, in-band DTMF, jitter depth, logger…). */
  readonly session?: Omit<OpenRtpSessionOptions, 'address' | 'port'>;
}

/** A call a CTI port answered: its media, and the few controls an IVR needs. */
export interface PortCall {
  readonly callId: string;
  /** The call, as this provider's observer of the port reports it. */
  readonly call: Call;
  /** Plays prompts, collects digits and records — the application never writes RTP. */
  readonly media: RtpSession;
  /** Settles when the call leaves the port (hung up, transferred, dropped). */
  readonly ended: Promise<void>;
  /** Sends the caller on to `destination` (a blind transfer from the port). */
  transfer(destination: string): Promise<void>;
  /** The port leaves the call. */
  hangup(): Promise<void>;
}

interface ActiveCall {
  readonly portCall: PortCall;
  readonly end: () => void;
}

/**
 * A CTI port whose media this process terminates (domain reference §1.3): it opens an RTP session,
 * registers the port with that address (static registration), answers calls that ring there, and
 * hands each connected call to the application with its media — connected to the far end as the
 * server's CiscoRTPOutputStartedEv says, disconnected on hold or when the call leaves.
 */
export class MediaPort {
  readonly terminal: Terminal;
  readonly media: RtpSession;
  readonly #provider: Provider;
  readonly #autoAnswer: boolean;
  readonly #handlers: Array<(call: PortCall) => void | Promise<void>> = [];
  readonly #offProvider: () => void;
  readonly #callObserver: (event: CallEvent) => void;
  #current: ActiveCall | undefined;
  #closed = false;

  private constructor(provider: Provider, terminal: Terminal, media: RtpSession, autoAnswer: boolean) {
    this.#provider = provider;
    this.terminal = terminal;
    this.media = media;
    this.#autoAnswer = autoAnswer;
    this.#offProvider = provider.on('providerEvent', (event) => this.#onProviderEvent(event as DeviceEvent));
    this.#callObserver = (event) => this.#onCallEvent(event);
  }

  /** Opens the RTP session, observes the port's calls, and registers it: it is in service when this resolves. */
  static async open(provider: Provider, terminalName: string, options: MediaPortOptions = {}): Promise<MediaPort> {
    const terminal = provider.getTerminal(terminalName);
    const address = options.address ?? '127.0.0.1';
    const media = await openRtpSession({
      ...options.session,
      address,
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    const port = new MediaPort(provider, terminal, media, options.autoAnswer ?? true);
    try {
      await terminal.addCallObserver(port.#callObserver);
      await terminal.register({
        kind: 'static',
        address,
        port: media.local.port,
        ...(options.codecs === undefined ? {} : { codecs: [...options.codecs] }),
      });
    } catch (error) {
      await port.close();
      throw error;
    }
    return port;
  }

  /** `handler` is given each call once its media flows. */
  onCall(handler: (call: PortCall) => void | Promise<void>): void {
    this.#handlers.push(handler);
  }

  /** Whether a call is on the port now. */
  get busy(): boolean {
    return this.#current !== undefined;
  }

  /** Unregisters the port (calls not yet connected follow forward on CTI failure) and closes the RTP session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#offProvider();
    this.#current?.end();
    try {
      await this.terminal.unregister();
    } catch {
      // Not registered (open failed), or the provider is gone: nothing is left to give up.
    }
    try {
      await this.terminal.removeCallObserver(this.#callObserver);
    } catch {
      // As above.
    }
    this.media.close('port closed');
  }

  #onCallEvent(event: CallEvent): void {
    if (!('terminalConnection' in event) || event.terminal !== this.terminal.name) return;
    if (event.type === 'CallCtlTermConnRingingEv' && this.#autoAnswer) {
      event.terminalConnection.answer().catch(() => {
        // The caller gave up, or the call moved on, before the answer: nothing to do.
      });
    }
    if (event.type === 'CallCtlTermConnDroppedEv' && this.#current?.portCall.callId === event.callId) {
      this.#current.end();
    }
  }

  #onProviderEvent(event: DeviceEvent): void {
    if (!('terminal' in event) || event.terminal !== this.terminal.name) return;
    switch (event.type) {
      case 'CiscoRTPOutputStartedEv':
        this.media.connect({
          address: event.remoteAddress,
          port: event.remotePort,
          law: event.codec === 'PCMA' ? 'pcma' : 'pcmu',
          payloadType: event.payloadType,
          ...(event.telephoneEventPayloadType === null
            ? {}
            : { telephoneEventPayloadType: event.telephoneEventPayloadType }),
        });
        if (this.#current?.portCall.callId !== event.callId) this.#start(event.callId);
        break;
      case 'CiscoRTPOutputStoppedEv':
        this.media.disconnect();
        break;
      default:
        break;
    }
  }

  #start(callId: string): void {
    this.#current?.end();
    const call = this.#provider.getCall(callId);
    if (call === undefined) return;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const mine = (): boolean => this.#current?.portCall.callId === callId;
    const portCall: PortCall = {
      callId,
      call,
      media: this.media,
      ended,
      transfer: (destination) => call.transfer(destination, { controller: this.#terminalConnectionOf(call) }),
      hangup: async () => {
        const connection = call.connections.find((c) =>
          c.terminalConnections.some((tc) => tc.terminal === this.terminal),
        );
        if (connection !== undefined) await connection.disconnect();
      },
    };
    const active: ActiveCall = {
      portCall,
      end: () => {
        if (!mine()) return;
        this.#current = undefined;
        this.media.disconnect();
        this.media.clearDigits();
        end();
      },
    };
    this.#current = active;
    for (const handler of this.#handlers) {
      Promise.resolve()
        .then(() => handler(portCall))
        .catch(() => {
          // The application's own handler failed; the call stays until it ends.
        });
    }
  }

  #terminalConnectionOf(call: Call) {
    for (const connection of call.connections)
      for (const tc of connection.terminalConnections) if (tc.terminal === this.terminal) return tc;
    return undefined;
  }
}
