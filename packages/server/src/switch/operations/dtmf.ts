import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { LegEntry } from '../call-context.js';
import type { SwitchDevice } from '../config.js';
import type { DeviceDriver, MidCallInfo } from '../ports.js';
import { terminalConnectionCoreState } from '../states.js';
import { invalidState, terminalConnectionOf, type CallLookup, type TerminalConnectionRef } from './call-refs.js';

/** What generating DTMF needs of the engine. */
export interface DtmfHost extends CallLookup {
  driverFor(device: SwitchDevice): DeviceDriver;
  peerOf(entry: LegEntry): LegEntry | undefined;
  /**
   * Sends the digits to `peer` in RTP (RFC 4733) from a server endpoint, the two parties joined
   * again afterwards; undefined when the server has no such endpoint.
   */
  readonly sendByRtp: ((controller: LegEntry, peer: LegEntry, digits: string) => Promise<void>) | undefined;
}

/** SIP statuses that say the device does not take DTMF as INFO (rather than that the call is gone). */
const infoNotTaken = new Set([405, 415, 488, 489, 501]);

/** The digits DTMF can carry (RFC 4733 events 0–15). */
const dtmfDigits = /^[0-9*#A-D]{1,32}$/;
/** How long each generated digit lasts, in milliseconds (the usual SIP INFO dtmf-relay duration). */
const digitDurationMs = 160;

/**
 * MediaTerminalConnection.generateDtmf: digits are sent into the call from a terminal, to the party it
 * talks to, as SIP INFO with application/dtmf-relay (the way the phones of this server relay keys
 * they press), one INFO per digit in order. A party that does not take INFO gets them as RFC 4733
 * telephone-events instead, from a server endpoint it is briefly connected to (the phones' RTP flows
 * between them, not through the server). One generation at a time per terminal connection.
 */
export class DtmfGeneration {
  readonly #host: DtmfHost;
  readonly #inProgress = new Set<string>();

  constructor(host: DtmfHost) {
    this.#host = host;
  }

  async generate(ref: TerminalConnectionRef, digits: string): Promise<void> {
    if (!dtmfDigits.test(digits)) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${JSON.stringify(digits)} is not DTMF: send 1 to 32 of 0-9, *, #, A-D`,
        { details: { ciscoError: 'CTIERR_INVALID_DTMFDIGITS' } },
      );
    }
    const { terminalConnection: tc, entry } = terminalConnectionOf(this.#host, ref);
    if (tc.state !== 'TALKING' || entry === undefined) {
      throw invalidState(
        `the terminal connection of ${ref.terminal} at ${ref.address} is ${tc.state}; digits are sent only while TALKING`,
        'DIGIT_GENERATION_WRONG_CALL_STATE',
      );
    }
    const peer = entry.context.conference === undefined ? this.#host.peerOf(entry) : undefined;
    if (peer === undefined) {
      throw invalidState(
        `${ref.terminal} talks to no single party (not connected yet, or in a conference); digits cannot be sent`,
        'DIGIT_GENERATION_WRONG_CALL_STATE',
      );
    }
    const driver = this.#host.driverFor(peer.device);
    const send = driver.sendInfo?.bind(driver);
    if (send === undefined) {
      throw new StrowgerError(ErrorCode.Unsupported, `${peer.device.name} cannot be sent DTMF by this server`);
    }
    if (this.#inProgress.has(tc.id)) {
      throw invalidState(
        `digits are already being sent from ${ref.terminal} in call ${ref.callId}; wait for them first`,
        'DIGIT_GENERATION_ALREADY_IN_PROGRESS',
      );
    }
    this.#inProgress.add(tc.id);
    try {
      for (const [index, digit] of [...digits].entries()) {
        const status = await send(peer.terminalConnection.leg, {
          contentType: 'application/dtmf-relay',
          body: `Signal=${digit}\r\nDuration=${digitDurationMs}\r\n`,
        });
        const sendByRtp = this.#host.sendByRtp;
        if (index === 0 && infoNotTaken.has(status) && sendByRtp !== undefined) {
          await sendByRtp(entry, peer, digits);
          return;
        }
        if (status >= 300) {
          throw new StrowgerError(
            ErrorCode.ResourceUnavailable,
            `${peer.device.name} refused the digit ${digit} (SIP ${status}); the digits before it were sent`,
            { details: { ciscoError: 'DIGIT_GENERATION_CALLSTATE_CHANGED', sipStatus: status } },
          );
        }
      }
    } finally {
      this.#inProgress.delete(tc.id);
    }
  }
}

/**
 * The digit a SIP INFO carries, when it is DTMF: `application/dtmf-relay` (`Signal=5`, the common
 * phone format) or `application/dtmf` (the digit alone, RFC 2976's early drafts); undefined otherwise.
 */
export function dtmfDigitOf(info: MidCallInfo): string | undefined {
  const type = info.contentType.split(';')[0]?.trim().toLowerCase();
  let value: string | undefined;
  if (type === 'application/dtmf-relay') value = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(info.body)?.[1];
  else if (type === 'application/dtmf') value = info.body.trim();
  if (value === undefined) return undefined;
  const digit = value === '10' ? '*' : value === '11' ? '#' : value.toUpperCase();
  return /^[0-9*#A-D]$/.test(digit) ? digit : undefined;
}

/** A DTMF digit a terminal sent (SIP INFO) becomes JTAPI's MediaTermConnDtmfEv in its call's stream. */
export function reportDtmf(entry: LegEntry, info: MidCallInfo): void {
  const digit = dtmfDigitOf(info);
  const tc = entry.terminalConnection;
  if (digit === undefined || entry.context.ended || tc.state === 'DROPPED') return;
  const connection = tc.connection;
  connection.call.record({
    type: 'terminalConnection.dtmf',
    terminalConnectionId: tc.id,
    connectionId: connection.id,
    terminal: tc.terminal,
    address: connection.address,
    reason: connection.reason,
    state: tc.state,
    coreState: terminalConnectionCoreState[tc.state],
    digit,
  });
}
