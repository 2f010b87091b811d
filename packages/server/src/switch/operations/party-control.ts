import { ErrorCode, StrowgerError, type Logger, type TypedEmitter } from '../../core/index.js';
import { withAudioDirection } from '../../sdp/index.js';
import type { LegEntry } from '../call-context.js';
import type { TerminalConnection } from '../call-model.js';
import type { SwitchDevice } from '../config.js';
import type { SwitchEvents } from '../events.js';
import { releaseCauses, type DeviceDriver, type LegId, type ReleaseCause, type SessionDescription } from '../ports.js';
import {
  connectionOf,
  invalidState,
  terminalConnectionOf,
  type CallLookup,
  type ConnectionRef,
  type TerminalConnectionRef,
} from './call-refs.js';
import { untilTerminalConnection } from './wait.js';

/** What answering, holding and dropping one party need of the engine. */
export interface PartyControlHost extends CallLookup {
  readonly events: Pick<TypedEmitter<SwitchEvents>, 'on'>;
  readonly logger: Logger;
  driverFor(device: SwitchDevice): DeviceDriver;
  /** The party a leg talks to, when it talks to one. */
  peerOf(entry: LegEntry): LegEntry | undefined;
  /** The engine's handling of a new offer from a leg: hold with music, resume, or pass it on. */
  updateMedia(leg: LegId, offer: SessionDescription): Promise<SessionDescription>;
  /** A leg's device left the call (the engine's input), after the driver was told to clear it. */
  released(leg: LegId, cause: ReleaseCause): void;
  /** Queues a command for a leg's device, run on the next flush. */
  command(terminalConnection: TerminalConnection, run: (driver: DeviceDriver) => void): void;
}

/**
 * Call control of one party (domain reference §2.8): TerminalConnection.answer, hold and unhold,
 * and Connection.disconnect. Each checks its precondition first and, when it does not hold, fails
 * with a coded error and changes nothing; each resolves once the change took effect in the call.
 */
export class PartyControl {
  readonly #host: PartyControlHost;

  constructor(host: PartyControlHost) {
    this.#host = host;
  }

  /**
   * TerminalConnection.answer: a RINGING terminal connection goes TALKING (its connection
   * ESTABLISHED). The device is asked to answer by its driver (an auto-answer request or a talk
   * event); a device that cannot be answered remotely fails with UNSUPPORTED. Resolves when the
   * device answered; rejects when the terminal connection is dropped first (the caller gave up, the
   * call was forwarded or answered elsewhere).
   */
  async answer(ref: TerminalConnectionRef): Promise<void> {
    const { terminalConnection: tc, entry } = terminalConnectionOf(this.#host, ref);
    if (tc.state !== 'RINGING' || entry === undefined) {
      throw invalidState(`${describe(ref)} is ${tc.state}; only a RINGING terminal connection can be answered`);
    }
    const driver = this.#host.driverFor(entry.device);
    const answerBy = driver.answer?.bind(driver);
    if (answerBy === undefined) {
      throw new StrowgerError(
        ErrorCode.Unsupported,
        `${entry.device.name} cannot be answered from CTI (its kind of device has no remote answer); its user must answer it`,
      );
    }
    const answered = untilTerminalConnection(this.#host.events, tc, {
      done: (state) => state === 'TALKING',
      failed: (state) => (state === 'DROPPED' ? `${describe(ref)} was dropped before it answered` : undefined),
    });
    try {
      await answerBy(tc.leg);
    } catch (error) {
      answered.cancel();
      throw error;
    }
    await answered.promise;
  }

  /**
   * CallControlTerminalConnection.hold: a TALKING terminal connection goes HELD. The server holds
   * (a back-to-back user agent, so it works on every phone): the phone is re-INVITEd without a
   * session description, its offer comes back as a hold offer (sendonly), and the engine then does
   * what it does when a phone holds by itself — the other party hears music on hold.
   */
  async hold(ref: TerminalConnectionRef): Promise<void> {
    const { entry, tc } = this.#connected(ref, 'TALKING', 'held', 'HOLDFAILED');
    await this.#renegotiate(entry, 'sendonly', 'HOLDFAILED');
    if (tc.state !== 'HELD') {
      throw new StrowgerError(ErrorCode.ResourceUnavailable, `${describe(ref)} could not be held; it is ${tc.state}`, {
        details: { ciscoError: 'HOLDFAILED' },
      });
    }
  }

  /** CallControlTerminalConnection.unhold: a HELD terminal connection talks again (cause UNHOLD). */
  async unhold(ref: TerminalConnectionRef): Promise<void> {
    const { entry, tc } = this.#connected(ref, 'HELD', 'retrieved', 'RETRIEVEFAILED');
    await this.#renegotiate(entry, 'sendrecv', 'RETRIEVEFAILED');
    if (tc.state !== 'TALKING') {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `${describe(ref)} could not be retrieved; it is ${tc.state}`,
        { details: { ciscoError: 'RETRIEVEFAILED' } },
      );
    }
  }

  /**
   * Connection.disconnect: this address leaves the call. Its devices are released (a BYE to each
   * leg that was answered, a CANCEL to one still ringing), and the engine goes on as when they hang
   * up: in a conference the others stay; a two-party call ends; a line that was only ringing is
   * refused, so hunting moves on or the caller is released.
   */
  disconnect(ref: ConnectionRef): void {
    const { connection } = connectionOf(this.#host, ref);
    if (connection.state === 'IDLE' || !connection.isLive) {
      throw invalidState(
        `the connection of ${ref.address} in call ${ref.callId} is ${connection.state}; it has left the call already`,
      );
    }
    const legs = connection.liveTerminalConnections
      .map((tc) => ({ tc, entry: this.#host.legs.get(tc.leg) }))
      .filter(({ tc, entry }) => entry?.terminalConnection === tc);
    if (legs.length === 0) {
      throw invalidState(
        `${ref.address} has no device of this server in call ${ref.callId}; drop the call, or disconnect one of its parties`,
      );
    }
    for (const { tc } of legs) {
      const ringing = tc.state === 'RINGING' || tc.state === 'IDLE';
      const cause = ringing ? releaseCauses.rejected : releaseCauses.normal;
      this.#host.command(tc, (driver) => (ringing ? driver.cancel(tc.leg, cause) : driver.release(tc.leg, cause)));
      this.#host.released(tc.leg, cause);
    }
  }

  /** A terminal connection in `state`, with a leg that talks to someone; else the request fails. */
  #connected(
    ref: TerminalConnectionRef,
    state: 'TALKING' | 'HELD',
    what: string,
    ciscoError: string,
  ): { entry: LegEntry; tc: TerminalConnection } {
    const { context, terminalConnection: tc, entry } = terminalConnectionOf(this.#host, ref);
    if (tc.state !== state || entry === undefined) {
      throw invalidState(`${describe(ref)} is ${tc.state}; only a ${state} one can be ${what}`, ciscoError);
    }
    if (context.conference === undefined && this.#host.peerOf(entry) === undefined) {
      throw invalidState(`${describe(ref)} is not connected to anyone yet`, ciscoError);
    }
    return { entry, tc };
  }

  /**
   * Asks the phone for its offer (a re-INVITE without a body), turns it into a hold or resume offer,
   * lets the engine handle it as the phone's own, and sends the phone the answer in its ACK.
   */
  async #renegotiate(entry: LegEntry, direction: 'sendonly' | 'sendrecv', ciscoError: string): Promise<void> {
    const driver = this.#host.driverFor(entry.device);
    const leg = entry.terminalConnection.leg;
    let offer: SessionDescription;
    try {
      offer = await driver.requestOffer(leg);
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `${entry.device.name} did not offer a new session description: ${(error as Error).message}`,
        { details: { ciscoError }, cause: error },
      );
    }
    let answer: SessionDescription | undefined;
    try {
      answer = await this.#host.updateMedia(leg, withAudioDirection(offer, direction));
    } catch (error) {
      this.#host.logger.info({ err: error, leg }, 'hold or resume by request failed');
      driver.answerOffer(leg, undefined);
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `the other party did not take the new session description: ${(error as Error).message}`,
        { details: { ciscoError }, cause: error },
      );
    }
    driver.answerOffer(leg, answer);
  }
}

function describe(ref: TerminalConnectionRef): string {
  return `the terminal connection of ${ref.terminal} at ${ref.address} in call ${ref.callId}`;
}
