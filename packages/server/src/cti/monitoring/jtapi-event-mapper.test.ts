import { validators } from '@strowger/protocol';
import { describe, expect, it } from 'vitest';
import type { CallEvent, CallSnapshot } from '../../switch/index.js';
import { eventsRecreating, jtapiEventsOf, observationEnded } from './jtapi-event-mapper.js';

const parties = {
  callingAddress: '1001',
  callingTerminal: 'SEP1001',
  calledAddress: '1002',
  currentCallingAddress: '1001',
  currentCalledAddress: '1002',
  lastRedirectedAddress: undefined,
  callingName: 'Alice Example',
  currentCallingName: 'Alice Example',
};
const base = {
  ...parties,
  callId: 'c1',
  seq: 4,
  engineSeq: 40,
  at: 1_700_000_000_000,
  cause: 'NORMAL',
  callControlCause: undefined,
  ciscoCause: 0,
  metaCode: 'CALL_PROGRESS',
  featureReason: 'NORMAL',
} as const;
const connection = { connectionId: 'k2', address: '1002', reason: 'DIRECTCALL' } as const;

/** Every body stamped as a provider would, then checked against the protocol's schema. */
function expectValid(bodies: object[]): void {
  for (const [index, body] of bodies.entries()) {
    const event = { ...body, seq: index + 1, observerId: 'o-1' };
    expect(validators.event.problem(event), JSON.stringify(event)).toBeUndefined();
  }
}

describe('JTAPI event mapping', () => {
  it('a connection state change that changes the core state MUST be the core event, then the call-control one', () => {
    const event: CallEvent = {
      ...base,
      ...connection,
      type: 'connection.state',
      state: 'ALERTING',
      coreState: 'ALERTING',
    };
    const bodies = jtapiEventsOf(event, { connectionCore: 'IDLE', terminalConnectionCore: undefined });
    expect(bodies.map((b) => [b.id, b.type])).toEqual([
      [104, 'ConnAlertingEv'],
      [203, 'CallCtlConnAlertingEv'],
    ]);
    expect(bodies[1]).toMatchObject({ address: '1002', reason: 1, cause: 100, callControlCause: null, metaCode: 129 });
    expect(bodies[1]).toMatchObject({ callingName: 'Alice Example', currentCallingName: 'Alice Example' });
    expectValid(bodies);
  });

  it('a change within one core state (DIALING → ESTABLISHED, both CONNECTED) MUST be the call-control event alone', () => {
    const event: CallEvent = {
      ...base,
      ...connection,
      address: '1001',
      type: 'connection.state',
      state: 'ESTABLISHED',
      coreState: 'CONNECTED',
    };
    const bodies = jtapiEventsOf(event, { connectionCore: 'CONNECTED', terminalConnectionCore: undefined });
    expect(bodies.map((b) => b.type)).toEqual(['CallCtlConnEstablishedEv']);
  });

  it('a busy failure MUST carry the call-control cause and the Cisco (Q.850) cause', () => {
    const event: CallEvent = {
      ...base,
      ...connection,
      type: 'connection.state',
      state: 'FAILED',
      coreState: 'FAILED',
      callControlCause: 'BUSY',
      ciscoCause: 17,
    };
    const [core, callControl] = jtapiEventsOf(event, { connectionCore: 'ALERTING', terminalConnectionCore: undefined });
    expect(core).toMatchObject({ type: 'ConnFailedEv', callControlCause: 203, ciscoCause: 17 });
    expect(callControl?.type).toBe('CallCtlConnFailedEv');
  });

  it('a terminal connection going TALKING → HELD MUST be CallCtlTermConnHeldEv only (both ACTIVE)', () => {
    const event: CallEvent = {
      ...base,
      ...connection,
      terminalConnectionId: 't1',
      terminal: 'SEP1002',
      type: 'terminalConnection.state',
      state: 'HELD',
      coreState: 'ACTIVE',
    };
    const bodies = jtapiEventsOf(event, { connectionCore: undefined, terminalConnectionCore: 'ACTIVE' });
    expect(bodies.map((b) => [b.id, b.type])).toEqual([[216, 'CallCtlTermConnHeldEv']]);
    expectValid(bodies);
  });

  it('a snapshot MUST recreate the live call with the given causes and leave out what is gone', () => {
    const call: CallSnapshot = {
      ...parties,
      callId: 'c1',
      state: 'ACTIVE',
      seq: 9,
      connections: [
        {
          id: 'k1',
          address: '1001',
          reason: 'DIRECTCALL',
          state: 'ESTABLISHED',
          coreState: 'CONNECTED',
          terminalConnections: [{ id: 't0', terminal: 'SEP1001', state: 'TALKING', coreState: 'ACTIVE' }],
        },
        {
          id: 'k2',
          address: '1003',
          reason: 'DIRECTCALL',
          state: 'DISCONNECTED',
          coreState: 'DISCONNECTED',
          terminalConnections: [],
        },
      ],
    };
    const causes = { cause: 110, callControlCause: null, ciscoCause: 0, metaCode: 135, featureReason: 12 };
    const bodies = eventsRecreating(call, causes, 5);
    expect(bodies.map((b) => b.type)).toEqual([
      'CallActiveEv',
      'ConnCreatedEv',
      'ConnConnectedEv',
      'CallCtlConnEstablishedEv',
      'TermConnCreatedEv',
      'TermConnActiveEv',
      'CallCtlTermConnTalkingEv',
    ]);
    expect(bodies.every((b) => b.cause === 110 && b.metaCode === 135)).toBe(true);
    expectValid([...bodies, observationEnded({ callId: 'c1', ...parties }, 5)]);
  });
});
