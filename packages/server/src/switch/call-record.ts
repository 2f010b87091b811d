import type { CallContext } from './call-context.js';
import type { CallRecord, ReleaseCause } from './ports.js';

/**
 * The call record of a context's current leg: from its origin to the number it reached. The record
 * carries the call's id, which is unique across restarts and nodes (call-id.ts).
 */
export function callRecordOf(
  context: CallContext,
  cause: ReleaseCause,
  releasedBy: 'caller' | 'callee' | 'system',
  endedAt: number,
): CallRecord {
  const { call } = context;
  return {
    callId: call.id,
    callingNumber: context.calling.number,
    callingDevice: context.calling.device,
    dialledNumber: call.dialled,
    originalCalledNumber: call.redirections[0]?.from ?? context.called,
    finalCalledNumber: context.called,
    calledDevice: context.answeredBy?.name,
    startedAt: context.legStartedAt,
    answeredAt: context.legAnsweredAt,
    endedAt,
    cause,
    releasedBy,
    redirections: [...call.redirections],
  };
}
