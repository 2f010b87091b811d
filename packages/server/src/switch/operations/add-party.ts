import { ErrorCode, StrowgerError, type TypedEmitter } from '../../core/index.js';
import type { SwitchEvents } from '../events.js';
import type { TerminalConnectionRef } from './call-refs.js';

/** What adding a party needs of the engine: the operations it is made of. */
export interface AddPartyHost {
  readonly events: Pick<TypedEmitter<SwitchEvents>, 'on'>;
  consult(ref: TerminalConnectionRef, dialled: string): Promise<string>;
  conferenceCalls(callId: string, otherCallId: string, controller: string): Promise<void>;
  unhold(ref: TerminalConnectionRef): Promise<void>;
  drop(callId: string): void;
}

/**
 * JTAPI CallControlCall.addParty, a single-step conference: the controller consults the new party
 * (the others hear music meanwhile), and once it answers the two calls become one conference. When
 * the new party does not answer — busy, no answer, unknown — the controller is taken off hold and the
 * request fails, the call as it was.
 */
export async function addParty(host: AddPartyHost, ref: TerminalConnectionRef, dialled: string): Promise<void> {
  const consultId = await host.consult(ref, dialled);
  try {
    await untilAnswered(host.events, consultId, ref.address);
  } catch (error) {
    host.drop(consultId);
    await host.unhold(ref).catch(() => undefined);
    throw error;
  }
  await host.conferenceCalls(ref.callId, consultId, ref.terminal);
}

/** Resolves when a party other than `controllerAddress` is ESTABLISHED in the call; rejects when the call ends first. */
function untilAnswered(events: AddPartyHost['events'], callId: string, controllerAddress: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = events.on('call', (event) => {
      if (event.callId !== callId) return;
      if (event.type === 'connection.state' && event.state === 'ESTABLISHED' && event.address !== controllerAddress) {
        off();
        resolve();
      } else if (event.type === 'connection.state' && event.state === 'FAILED' && event.address !== controllerAddress) {
        off();
        reject(
          new StrowgerError(
            ErrorCode.ResourceUnavailable,
            `${event.address} could not take the call (${event.callControlCause ?? event.cause}); the call goes on as it was`,
          ),
        );
      } else if (event.type === 'call.state' && event.state === 'INVALID') {
        off();
        reject(
          new StrowgerError(ErrorCode.ResourceUnavailable, 'the new party did not answer; the call goes on as it was'),
        );
      }
    });
  });
}
