import { ErrorCode, StrowgerError, type TypedEmitter } from '../../core/index.js';
import type { TerminalConnection } from '../call-model.js';
import type { SwitchEvents } from '../events.js';
import type { TerminalConnectionState } from '../states.js';

/** A wait that can be given up (the request failed before the change could come). */
export interface Wait {
  readonly promise: Promise<void>;
  cancel(): void;
}

/**
 * Resolves when a terminal connection reaches a state `done` accepts, and rejects with INVALID_STATE
 * when it reaches one `failed` names (with the sentence it returns) or its call ends first. A request
 * is answered when its effect is in the call model, not when a device was merely asked.
 */
export function untilTerminalConnection(
  events: Pick<TypedEmitter<SwitchEvents>, 'on'>,
  tc: TerminalConnection,
  check: {
    done: (state: TerminalConnectionState) => boolean;
    failed: (state: TerminalConnectionState) => string | undefined;
  },
): Wait {
  let off: () => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    const callId = tc.connection.call.id;
    off = events.on('call', (event) => {
      if (event.callId !== callId) return;
      if (event.type === 'terminalConnection.state' && event.terminalConnectionId === tc.id) {
        if (check.done(event.state)) {
          off();
          resolve();
          return;
        }
        const why = check.failed(event.state);
        if (why !== undefined) {
          off();
          reject(new StrowgerError(ErrorCode.InvalidState, why));
        }
      } else if (event.type === 'call.state' && event.state === 'INVALID') {
        off();
        reject(new StrowgerError(ErrorCode.InvalidState, `call ${callId} ended before the request took effect`));
      }
    });
  });
  // A wait given up is nobody's failure: its rejection must not surface as unhandled.
  promise.catch(() => undefined);
  return { promise, cancel: () => off() };
}
