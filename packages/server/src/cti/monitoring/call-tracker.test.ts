import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../switch/index.js';
import { CallTracker } from './call-tracker.js';

const base = {
  callingAddress: '1001',
  callingTerminal: 'SEP1001',
  calledAddress: '1002',
  currentCallingAddress: '1001',
  currentCalledAddress: '1002',
  lastRedirectedAddress: undefined,
  callingName: undefined,
  currentCallingName: undefined,
  callId: 'c2',
  engineSeq: 1,
  at: 1_700_000_000_000,
  cause: 'NORMAL',
  callControlCause: undefined,
  ciscoCause: 0,
  metaCode: 'CALL_PROGRESS',
  featureReason: 'NORMAL',
} as const;
const controller = { controllerTerminalConnectionId: 't1', controllerAddress: '1002', controllerTerminal: 'SEP1002' };

let seq = 0;
const callState = (state: 'ACTIVE' | 'INVALID'): CallEvent => ({ ...base, seq: ++seq, type: 'call.state', state });
const transfer = (type: 'call.transferStart' | 'call.transferEnd'): CallEvent => ({
  ...base,
  seq: ++seq,
  type,
  transferredCallId: 'c2',
  finalCallId: 'c1',
  ...controller,
});

describe('CallTracker', () => {
  it('a call MUST end its observation at INVALID when no transfer or conference is open on it', () => {
    const tracker = new CallTracker();
    tracker.apply(callState('ACTIVE'));
    const invalid = callState('INVALID');
    expect(tracker.endsObservation(invalid)).toBe(true);
    tracker.apply(invalid);
    expect(tracker.size).toBe(0);
  });

  it('a call merged away MUST stay observed past its INVALID until the merge ends, then be forgotten', () => {
    const tracker = new CallTracker();
    tracker.apply(callState('ACTIVE'));
    tracker.apply(transfer('call.transferStart'));
    const invalid = callState('INVALID');
    expect(tracker.endsObservation(invalid)).toBe(false);
    tracker.apply(invalid);
    expect(tracker.size).toBe(1);
    const end = transfer('call.transferEnd');
    expect(tracker.endsObservation(end)).toBe(true);
    tracker.apply(end);
    expect(tracker.size).toBe(0);
  });

  it('the end of a merge on a call still in progress MUST NOT end its observation', () => {
    const tracker = new CallTracker();
    tracker.apply(callState('ACTIVE'));
    tracker.apply(transfer('call.transferStart'));
    const end = transfer('call.transferEnd');
    expect(tracker.endsObservation(end)).toBe(false);
    tracker.apply(end);
    expect(tracker.size).toBe(1);
  });
});
