import { describe, expect, it } from 'vitest';
import { isStrowgerError, ErrorCode } from '../core/index.js';
import { Call } from './call-model.js';
import type { CallEvent } from './events.js';
import {
  callStateTransitions,
  connectionCoreState,
  connectionTransitions,
  terminalConnectionTransitions,
} from './states.js';

function newCall(events: CallEvent[] = []): Call {
  let engineSeq = 100;
  return new Call({
    id: 'CALL',
    dialled: '1002',
    calling: { number: '1001', device: 'SEP1001' },
    sink: { now: () => 0, nextEngineSeq: () => ++engineSeq, emit: (event) => events.push(event) },
  });
}

function refusal(run: () => void): string {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return isStrowgerError(error, ErrorCode.Internal) ? 'refused' : 'other error';
  }
}

describe('the call model', () => {
  it('final states MUST have no way out: call INVALID, connection DISCONNECTED, terminal connection DROPPED', () => {
    expect(callStateTransitions.INVALID).toEqual([]);
    expect(connectionTransitions.DISCONNECTED).toEqual([]);
    expect(terminalConnectionTransitions.DROPPED).toEqual([]);
    // §2.4: FAILED only ever ends DISCONNECTED.
    expect(connectionTransitions.FAILED).toEqual(['DISCONNECTED']);
  });

  it('no call-control move MUST go back to IDLE, and a connected core state MUST never become ALERTING', () => {
    for (const [from, next] of Object.entries(connectionTransitions)) {
      expect(next, from).not.toContain('IDLE');
      if (connectionCoreState[from as keyof typeof connectionCoreState] === 'CONNECTED') {
        expect(
          next.map((state) => connectionCoreState[state]),
          from,
        ).not.toContain('ALERTING');
      }
    }
  });

  it('an illegal move MUST be refused loudly and change nothing', () => {
    const events: CallEvent[] = [];
    const call = newCall(events);
    call.setState('ACTIVE');
    const connection = call.addConnection('1002', 'terminating', 'DIRECTCALL');
    connection.setState('ALERTING');
    const tc = connection.addTerminalConnection('SEP1002');
    tc.setState('RINGING');
    connection.setState('DISCONNECTED');
    const count = events.length;
    expect(refusal(() => connection.setState('ESTABLISHED'))).toBe('refused');
    expect(refusal(() => tc.setState('IDLE'))).toBe('refused');
    expect(refusal(() => call.setState('IDLE'))).toBe('refused');
    expect(events).toHaveLength(count);
    expect(connection.state).toBe('DISCONNECTED');
  });

  it('every event MUST carry the call id, the call seq and the engine seq, the parties and all three causes', () => {
    const events: CallEvent[] = [];
    const call = newCall(events);
    call.setState('ACTIVE');
    call.addConnection('1001', 'originating', 'DIRECTCALL');
    expect(events.map((e) => [e.callId, e.seq, e.engineSeq])).toEqual([
      ['CALL', 1, 101],
      ['CALL', 2, 102],
    ]);
    expect(events[1]).toMatchObject({
      type: 'connection.created',
      address: '1001',
      reason: 'DIRECTCALL',
      callingAddress: '1001',
      callingTerminal: 'SEP1001',
      calledAddress: '1002',
      currentCalledAddress: '1002',
      lastRedirectedAddress: undefined,
      cause: 'NORMAL',
      callControlCause: undefined,
      ciscoCause: 0,
      metaCode: 'CALL_PROGRESS',
      featureReason: 'NORMAL',
    });
  });
});
