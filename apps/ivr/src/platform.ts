/**
 * The ports of the IVR: what the application needs from the telephony platform, declared here so the
 * application is written and tested on its own. An adapter over the SDK (route point registration,
 * CTI port registration with media) implements them; the tests implement them with scripted fakes.
 */

/** Why a call reached the IVR other than by being dialled: the forward that brought it here. */
export type RedirectReason = 'forward-all' | 'forward-busy' | 'forward-no-answer' | 'forward-unregistered' | 'redirect';

/** How a prompt ended. A caller who hangs up mid-prompt ends it with `hangup`. */
export interface PlayOutcome {
  readonly reason: 'finished' | 'digit' | 'hangup';
  /** The key that cut the prompt short; it stays typed ahead for the next collectDigits(). */
  readonly interruptedBy?: string;
}

export interface CollectOptions {
  readonly max: number;
  /** Seconds to wait for the first key. */
  readonly timeoutSeconds: number;
  /** Seconds to wait for each further key (default: the media layer's, 3 s). */
  readonly interDigitSeconds?: number;
  /** A key that ends the input and is not part of it, such as "#". */
  readonly terminator?: string;
}

export interface CollectOutcome {
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout' | 'hangup';
}

export interface RecordOptions {
  readonly maxSeconds: number;
  readonly silenceSeconds: number;
  /** The keys that end the recording (default any key). */
  readonly terminator?: string;
}

export interface RecordOutcome {
  /** Seconds of audio written to the file (0 when nothing was). */
  readonly seconds: number;
  readonly reason: 'max' | 'silence' | 'terminator' | 'hangup';
  /** Whether anything louder than silence was heard: a recording that heard nothing is no message. */
  readonly heardSound: boolean;
}

/** The media half of a call on a CTI port: what `RtpCallMedia` does over an RTP session. */
export interface IvrCallMedia {
  /** Plays the files one after another; with `interruptible`, any key stops them. */
  play(files: readonly string[], options?: { readonly interruptible?: boolean }): Promise<PlayOutcome>;
  collectDigits(options: CollectOptions): Promise<CollectOutcome>;
  /** Records the caller into `file` (8 kHz WAV), written whole or not at all. */
  record(file: string, options: RecordOptions): Promise<RecordOutcome>;
  /** Forgets keys typed ahead (before a question whose answer must not come from an earlier key). */
  clearDigits(): void;
}

/** One caller's call on a CTI port the application terminates: media plus the little call control an IVR needs. */
export interface IvrCall extends IvrCallMedia {
  readonly id: string;
  readonly calling: string;
  readonly callingName?: string;
  /**
   * The number dialled as the port sees it. A call the IVR routed from a route point arrives on the
   * port with the port's own DN here: the pilot the caller dialled is in the route context the
   * dispatcher kept (see `RouteContexts`).
   */
  readonly called: string;
  /** The line the caller first called, before forwarding: the mailbox owner for voicemail deposit. */
  readonly originalCalled?: string;
  readonly redirectReason?: RedirectReason;
  /** Blind transfer: the caller leaves the IVR for `destination` (a phone, the operator, a hunt pilot). */
  transfer(destination: string): Promise<void>;
  hangup(): Promise<void>;
  /** Settles when the caller hangs up or the call otherwise leaves the port. */
  readonly ended: Promise<void>;
}

/** A call waiting at one of the application's route points, before it reaches a port. */
export interface RouteRequest {
  readonly sessionId: string;
  readonly callId: string;
  /** The route point's device name. */
  readonly routePoint: string;
  readonly calling: string;
  /** The number the caller reached: the route point's pilot (the voicemail pilot, the auto-attendant number). */
  readonly called: string;
  readonly originalCalled?: string;
  readonly lastRedirected?: string;
  readonly reason?: RedirectReason;
  /** Sends the call to the first destination that takes it (JTAPI selectRoute). */
  selectRoute(destinations: readonly string[]): Promise<void>;
  /** Gives the request up: the caller hears ringback until the route point's forwarding takes over. */
  endRoute(): Promise<void>;
  /** Settles when the route session ends: routed, given up, timed out or the caller hung up. */
  readonly ended: Promise<void>;
}

/** One CTI port the application registered. */
export interface IvrPort {
  readonly name: string;
  readonly dn: string;
  /** Registered and usable; a port out of service takes no calls. */
  readonly inService: boolean;
  /** Reports each call that arrives on the port. */
  onCall(handler: (call: IvrCall) => void): void;
  /** Reports the port going in or out of service, so waiting callers are served when it comes back. */
  onServiceChange(handler: (inService: boolean) => void): void;
}

export interface IvrPlatform {
  onRouteRequest(handler: (request: RouteRequest) => void): void;
  /** The CTI ports the application registered: each reports its call when one arrives. */
  readonly ports: readonly IvrPort[];
  /** Lights or clears the message-waiting lamp of a line (SIP NOTIFY message-summary, RFC 3842). */
  setMessageWaiting(dn: string, waiting: boolean): Promise<void>;
}
