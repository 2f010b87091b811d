import type { ForwardTarget } from './config.js';
import type {
  CallControlCause,
  CallState,
  ConnectionCoreState,
  ConnectionReason,
  ConnectionState,
  CoreCause,
  FeatureReason,
  MetaCode,
  TerminalConnectionCoreState,
  TerminalConnectionState,
} from './states.js';

/**
 * The engine's events, in JTAPI's vocabulary so the CTI layer maps each one out without
 * re-deriving anything (domain reference §2.3–2.7).
 *
 * Ordering: every event of one call is in one stream whose `seq` starts at 1 and never skips; every
 * event of the engine — call, device and line events alike — also carries `engineSeq`, one counter
 * for the whole engine that only grows, which the snapshots (`Switch.snapshotCall` and friends) name
 * as the point they are consistent with. Within a call the order is JTAPI's: a Connection's event
 * before its TerminalConnections' when something starts (created, alerting, answered), the
 * TerminalConnection's DROPPED before its Connection's DISCONNECTED when something ends, the party
 * that hung up before the other, and `call.state` INVALID last (only Cisco's TransferEnd or
 * ConferenceEnd follows it, in the stream of a consult call that was merged away).
 *
 * Mapping a state event to JTAPI: a `connection.state` event is the core event for `coreState`
 * (ConnAlertingEv 104, ConnConnectedEv 105, ConnDisconnectedEv 107, ConnFailedEv 108,
 * ConnInProgressEv 109) when the core state changed, plus the call-control event for `state`
 * (CallCtlConnAlertingEv 203 … CallCtlConnOfferedEv 211); likewise `terminalConnection.state` is
 * TermConnRingingEv 119 / TermConnActiveEv 115 / TermConnDroppedEv 117 / TermConnPassiveEv 118 when
 * the core state changed, plus CallCtlTermConnRingingEv 218, TalkingEv 219, HeldEv 216, DroppedEv 215,
 * BridgedEv 214, InUseEv 217. `call.state` is CallActiveEv 101 or CallInvalidEv 102.
 */

/** What every event of the engine carries. */
export interface EngineEventBase {
  /**
   * The engine-wide sequence number: one counter for every event the engine emits, never reused,
   * only growing while the engine runs. Snapshots name the last one they include.
   */
  readonly engineSeq: number;
  /** When the engine made the change (the engine clock's milliseconds since the epoch). */
  readonly at: number;
}

/**
 * The parties of the call as every call event states them (JTAPI `CallCtlCallEv` and `CiscoCall`).
 * They change as the call is forwarded, redirected or transferred.
 */
export interface CallParties {
  /** `CallCtlCallEv.getCallingAddress()`: the directory number that placed the call. */
  readonly callingAddress: string;
  /** `CallCtlCallEv.getCallingTerminal()`: the device that placed the call, where known. */
  readonly callingTerminal: string | undefined;
  /** `CallCtlCallEv.getCalledAddress()`: the number the caller dialled (the original called party). */
  readonly calledAddress: string;
  /**
   * `CiscoCall.getCurrentCallingParty()`: who the called side is told is calling now — the caller,
   * or after a transfer the party that stayed.
   */
  readonly currentCallingAddress: string;
  /** `CiscoCall.getCurrentCalledParty()`: the number the call is offered to now, after forwarding. */
  readonly currentCalledAddress: string;
  /**
   * `CallCtlCallEv.getLastRedirectedAddress()`: the number that last sent the call on (forward,
   * redirect, transfer); undefined while the call has not been redirected.
   */
  readonly lastRedirectedAddress: string | undefined;
  /**
   * `CiscoCall.getCallingPartyDisplayName()`: the caller's name as its signalling gave it (a SIP
   * From display name), undefined when it gave none.
   */
  readonly callingName: string | undefined;
  /** `CiscoCall.getCurrentCallingPartyDisplayName()`: the name of the current calling party. */
  readonly currentCallingName: string | undefined;
}

/** What every call event carries. */
export interface CallEventBase extends EngineEventBase, CallParties {
  /** `CallEv.getCall()`: the call, by its id (`CiscoCall.getCallID()`), unique across restarts and nodes. */
  readonly callId: string;
  /** The call's own sequence number: 1 for its first event, one more for each after, never skipping. */
  readonly seq: number;
  /** `Ev.getCause()`: JTAPI's core cause (`Ev.CAUSE_*`, 100–110; `coreCauseValue`). */
  readonly cause: CoreCause;
  /**
   * `CallCtlEv.getCallControlCause()`: the call-control cause (`CallCtlEv.CAUSE_*`, 202–214;
   * `callControlCauseValue`), undefined when the change has none.
   */
  readonly callControlCause: CallControlCause | undefined;
  /**
   * `CiscoCallEv.getCiscoCause()`: a Q.850 cause value (16 normal clearing, 17 user busy, 19 no
   * answer, 21 rejected, 41 temporary failure…) or one of Cisco's own (200 redirected, 501–505
   * transfer and conference); 0 (`CAUSE_NOERROR`) when nothing went wrong. See `ciscoCause`.
   */
  readonly ciscoCause: number;
  /** `CallEv.getMetaCode()`: the larger happening this event is part of (`metaCodeValue`, 128–136). */
  readonly metaCode: MetaCode;
  /** `CiscoCallEv.getCiscoFeatureReason()`: the feature behind the change (`featureReasonValue`). */
  readonly featureReason: FeatureReason;
}

/** What every connection event carries besides the call's. */
export interface ConnectionEventFields {
  /** `ConnectionEvent.getConnection()`: the connection, by an id unique within the engine. */
  readonly connectionId: string;
  /** `Connection.getAddress()`: the directory number (or hunt pilot, or conference number) of the party. */
  readonly address: string;
  /** `CiscoConnection.getReason()`: why the connection is in the call (`connectionReasonValue`). */
  readonly reason: ConnectionReason;
}

/** What every terminal connection event carries besides its connection's. */
export interface TerminalConnectionEventFields extends ConnectionEventFields {
  /** `TermConnEv.getTerminalConnection()`: the terminal connection, by an id unique within the engine. */
  readonly terminalConnectionId: string;
  /** `TerminalConnection.getTerminal()`: the device's name. */
  readonly terminal: string;
}

/** Who controls a transfer or conference: `getTransferController()` / `getConferenceController()`. */
export interface FeatureController {
  /** The controlling party's terminal connection (in the final call, the one that held it). */
  readonly controllerTerminalConnectionId: string;
  readonly controllerAddress: string;
  readonly controllerTerminal: string;
}

export type CallEvent = CallEventBase &
  (
    | {
        /** CallActiveEv (101) when `state` is ACTIVE, CallInvalidEv (102) when INVALID. */
        readonly type: 'call.state';
        readonly state: CallState;
      }
    | ({
        /** ConnCreatedEv (106). */
        readonly type: 'connection.created';
      } & ConnectionEventFields)
    | ({
        /** A Connection's state change: see the mapping above. */
        readonly type: 'connection.state';
        /** `CallControlConnection.getCallControlState()`. */
        readonly state: ConnectionState;
        /** `Connection.getState()`, fixed by `state`. */
        readonly coreState: ConnectionCoreState;
      } & ConnectionEventFields)
    | ({
        /** TermConnCreatedEv (116). */
        readonly type: 'terminalConnection.created';
      } & TerminalConnectionEventFields)
    | ({
        /** A TerminalConnection's state change: see the mapping above. */
        readonly type: 'terminalConnection.state';
        /** `CallControlTerminalConnection.getCallControlState()`. */
        readonly state: TerminalConnectionState;
        /** `TerminalConnection.getState()`, fixed by `state`. */
        readonly coreState: TerminalConnectionCoreState;
      } & TerminalConnectionEventFields)
    | ({
        /**
         * MediaTermConnDtmfEv (401): the terminal sent a DTMF digit out of band (SIP INFO). The
         * terminal connection's state is carried as it is; the digit changes no state.
         */
        readonly type: 'terminalConnection.dtmf';
        readonly digit: string;
        readonly state: TerminalConnectionState;
        readonly coreState: TerminalConnectionCoreState;
      } & TerminalConnectionEventFields)
    | ({
        /**
         * CiscoTransferStartEv / CiscoTransferEndEv: a transfer begins or is complete. Sent to both
         * calls of a consult transfer (`transferredCallId` and `finalCallId` differ), or to the one
         * call of a blind transfer (they are equal).
         */
        readonly type: 'call.transferStart' | 'call.transferEnd';
        /** `getTransferredCall()`: the call whose parties move (the consult call); ends INVALID. */
        readonly transferredCallId: string;
        /** `getFinalCall()`: the call the parties end up in. */
        readonly finalCallId: string;
      } & FeatureController)
    | ({
        /** CiscoConferenceStartEv / CiscoConferenceEndEv: a conference is being made, or is made. */
        readonly type: 'call.conferenceStart' | 'call.conferenceEnd';
        /** `getConsultCall()`: the call whose party joins the conference; ends INVALID. */
        readonly consultCallId: string;
        /** `getFinalCall()`: the conference call. */
        readonly finalCallId: string;
      } & FeatureController)
  );

/**
 * Device (JTAPI Terminal) and line (JTAPI Address) events: availability and configuration, which
 * the CTI layer turns into CiscoTermInServiceEv / CiscoTermOutOfServiceEv,
 * CiscoAddrInServiceEv / CiscoAddrOutOfServiceEv (per terminal), CiscoTermCreatedEv /
 * CiscoTermRemovedEv, CiscoAddrCreatedEv / CiscoAddrRemovedEv, CiscoAddrAddedToTerminalEv /
 * CiscoAddrRemovedFromTerminalEv, and CiscoTermRestrictedEv / CiscoTermActivatedEv,
 * CiscoAddrRestrictedEv / CiscoAddrActivatedEv (the "allow control from CTI" flags, §3.4).
 */
export type DeviceEvent = EngineEventBase &
  (
    | {
        /**
         * A device came into service (a phone registered, a CTI port opened) or went out of it;
         * a device added to or removed from the configuration is reported by `terminal.created` /
         * `terminal.removed`, not here.
         */
        readonly type: 'terminal.inService' | 'terminal.outOfService';
        readonly terminal: string;
      }
    | {
        /** A line on a device is usable (its device in service) or not, per device (CiscoAddrInServiceEv.getTerminal()). */
        readonly type: 'address.inService' | 'address.outOfService';
        readonly address: string;
        readonly terminal: string;
      }
    | {
        /** A device was added to or removed from the configuration. */
        readonly type: 'terminal.created' | 'terminal.removed';
        readonly terminal: string;
      }
    | {
        /** A device's "allow control of device from CTI" was switched off (restricted) or on (activated). */
        readonly type: 'terminal.restricted' | 'terminal.activated';
        readonly terminal: string;
      }
    | {
        /** A directory number was added to or removed from the configuration. */
        readonly type: 'address.created' | 'address.removed';
        readonly address: string;
      }
    | {
        /** A line's "allow control from CTI" was switched off (restricted) or on (activated). */
        readonly type: 'address.restricted' | 'address.activated';
        readonly address: string;
      }
    | {
        /** A line's forward all changed (an application set or cancelled it): JTAPI CallCtlAddrForwardEv. */
        readonly type: 'address.forwarding';
        readonly address: string;
        readonly forwardAll: ForwardTarget | undefined;
      }
    | {
        /** A device's do not disturb was switched on or off: JTAPI CallCtlTermDoNotDisturbEv. */
        readonly type: 'terminal.doNotDisturb';
        readonly terminal: string;
        readonly on: boolean;
      }
    | {
        /** A line's message-waiting lamp was switched on or off: JTAPI CallCtlAddrMessageWaitingEv. */
        readonly type: 'address.messageWaiting';
        readonly address: string;
        readonly waiting: boolean;
      }
    | {
        /** A line appears on a device (a device–line association) or no longer does. */
        readonly type: 'address.addedToTerminal' | 'address.removedFromTerminal';
        readonly address: string;
        readonly terminal: string;
      }
  );

export interface SwitchEvents extends Record<string, unknown> {
  call: CallEvent;
  device: DeviceEvent;
}
