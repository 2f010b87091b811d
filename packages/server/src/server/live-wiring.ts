import type { CallStatistics, LiveSource } from '../admin/index.js';
import type { TypedEmitter } from '../core/index.js';
import type { RegistrationTable } from '../devices/sip/index.js';
import type { CallRecord, SwitchEvents } from '../switch/index.js';

/**
 * The admin's live feed, fed from the registrar (a phone's bindings changed) and the engine (a call
 * changed; a CTI port came into or went out of service when its application opened or closed it).
 */
export function liveSourceFrom(options: {
  registrations: RegistrationTable;
  engine: TypedEmitter<SwitchEvents>;
}): LiveSource {
  return {
    subscribe(listener) {
      const offs = [
        options.registrations.events.on('changed', ({ deviceName }) =>
          listener({ kind: 'registration', device: deviceName }),
        ),
        options.engine.on('call', () => listener({ kind: 'calls' })),
        options.engine.on('device', (event) => {
          if (event.type === 'terminal.inService' || event.type === 'terminal.outOfService') {
            listener({ kind: 'registration', device: event.terminal });
          }
        }),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

/** Counts each call once when its first event arrives and once more when it becomes INVALID. */
export function countCalls(engine: TypedEmitter<SwitchEvents>, statistics: CallStatistics): () => void {
  const inProgress = new Set<string>();
  // An event trailing a call's INVALID must not count as a new call; the last ended ids are kept.
  const ended = new Set<string>();
  return engine.on('call', (event) => {
    if (ended.has(event.callId)) return;
    if (!inProgress.has(event.callId)) {
      inProgress.add(event.callId);
      statistics.callStarted();
    }
    if (event.type === 'call.state' && event.state === 'INVALID') {
      inProgress.delete(event.callId);
      ended.add(event.callId);
      if (ended.size > 1000) ended.delete(ended.values().next().value as string);
      statistics.callEnded();
    }
  });
}

/** Leg endings that are a failure an operator looks into, not a caller's or callee's choice. */
const failureReasons: ReadonlySet<CallRecord['cause']['reason']> = new Set([
  'unallocated',
  'unavailable',
  'rejected',
  'congestion',
]);

export function isFailedLeg(record: CallRecord): boolean {
  return failureReasons.has(record.cause.reason);
}
