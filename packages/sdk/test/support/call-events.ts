import type { FakeEvent } from './fake-cti-server.js';

/** Wire events as the spec writes them, for scripting the fake server. */
export interface Parties {
  callingAddress: string;
  callingTerminal: string | null;
  calledAddress: string;
  lastRedirectedAddress?: string | null;
  callingName?: string | null;
}

export function callEvents(callId: string, parties: Parties) {
  const base = {
    callId,
    cause: 100,
    callControlCause: null,
    ciscoCause: 0,
    metaCode: 129,
    featureReason: 12,
    callingAddress: parties.callingAddress,
    callingTerminal: parties.callingTerminal,
    calledAddress: parties.calledAddress,
    lastRedirectedAddress: parties.lastRedirectedAddress ?? null,
    currentCallingAddress: parties.callingAddress,
    currentCalledAddress: parties.calledAddress,
    callingName: parties.callingName ?? null,
    currentCallingName: parties.callingName ?? null,
  };
  const conn = (
    type: string,
    id: number,
    address: string,
    connectionState: string,
    callControlState: string,
    extra: Record<string, unknown> = {},
  ): FakeEvent => ({ ...base, type, id, address, connectionState, callControlState, reason: 1, ...extra });
  const tc = (
    type: string,
    id: number,
    address: string,
    terminal: string,
    terminalConnectionState: string,
    callControlTerminalConnectionState: string,
  ): FakeEvent => ({
    ...base,
    type,
    id,
    address,
    terminal,
    terminalConnectionState,
    callControlTerminalConnectionState,
  });
  return {
    active: (): FakeEvent => ({ ...base, type: 'CallActiveEv', id: 101, metaCode: 128 }),
    invalid: (): FakeEvent => ({ ...base, type: 'CallInvalidEv', id: 102, metaCode: 132 }),
    observationEnded: (): FakeEvent => ({ ...base, type: 'CallObservationEndedEv', id: 103, metaCode: 132 }),
    /** Cisco's transfer bracket: start or end, with the controller's line and phone. */
    transfer: (
      end: boolean,
      controllerAddress: string,
      controllerTerminal: string,
      consultCallId: string,
    ): FakeEvent => ({
      ...base,
      type: end ? 'CiscoTransferEndEv' : 'CiscoTransferStartEv',
      id: end ? 1021 : 1020,
      metaCode: 134,
      controllerAddress,
      controllerTerminal,
      transferredCallId: consultCallId,
      finalCallId: callId,
    }),
    created: (address: string) => conn('ConnCreatedEv', 106, address, 'IDLE', 'IDLE'),
    /** The caller's side as it appears at an observed callee: already connected (§2.7 step 1). */
    established: (address: string, extra: Record<string, unknown> = {}) => [
      conn('ConnConnectedEv', 105, address, 'CONNECTED', 'ESTABLISHED', extra),
      conn('CallCtlConnEstablishedEv', 206, address, 'CONNECTED', 'ESTABLISHED', extra),
    ],
    alerting: (address: string) => [
      conn('ConnAlertingEv', 104, address, 'ALERTING', 'ALERTING'),
      conn('CallCtlConnAlertingEv', 203, address, 'ALERTING', 'ALERTING'),
    ],
    disconnected: (address: string) => [
      conn('ConnDisconnectedEv', 107, address, 'DISCONNECTED', 'DISCONNECTED'),
      conn('CallCtlConnDisconnectedEv', 205, address, 'DISCONNECTED', 'DISCONNECTED'),
    ],
    tcCreated: (address: string, terminal: string) => tc('TermConnCreatedEv', 116, address, terminal, 'IDLE', 'IDLE'),
    ringing: (address: string, terminal: string) => [
      tc('TermConnRingingEv', 119, address, terminal, 'RINGING', 'RINGING'),
      tc('CallCtlTermConnRingingEv', 218, address, terminal, 'RINGING', 'RINGING'),
    ],
    talking: (address: string, terminal: string) => [
      tc('TermConnActiveEv', 115, address, terminal, 'ACTIVE', 'TALKING'),
      tc('CallCtlTermConnTalkingEv', 219, address, terminal, 'ACTIVE', 'TALKING'),
    ],
    bridged: (address: string, terminal: string) => [
      tc('TermConnPassiveEv', 118, address, terminal, 'PASSIVE', 'BRIDGED'),
      tc('CallCtlTermConnBridgedEv', 214, address, terminal, 'PASSIVE', 'BRIDGED'),
    ],
    dropped: (address: string, terminal: string) => [
      tc('TermConnDroppedEv', 117, address, terminal, 'DROPPED', 'DROPPED'),
      tc('CallCtlTermConnDroppedEv', 215, address, terminal, 'DROPPED', 'DROPPED'),
    ],
  };
}

/** A call from `caller` ringing at `callee` (one terminal), as an observer of `callee` sees it (§2.7). */
export function inboundRinging(callId: string, caller: string, callee: string, calleeTerminal: string): FakeEvent[] {
  const c = callEvents(callId, { callingAddress: caller, callingTerminal: null, calledAddress: callee });
  return [
    c.active(),
    c.created(caller),
    ...c.established(caller),
    c.created(callee),
    ...c.alerting(callee),
    c.tcCreated(callee, calleeTerminal),
    ...c.ringing(callee, calleeTerminal),
  ];
}
