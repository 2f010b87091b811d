/**
 * JTAPI's stable numeric values (javax.telephony and Cisco JTAPI), kept exactly so a JTAPI developer
 * recognises them. States travel on the wire as names; these tables give the numbers.
 */

/** Provider.getState() (§2.2). */
export const ProviderState = { IN_SERVICE: 16, OUT_OF_SERVICE: 17, SHUTDOWN: 18 } as const;

/** Call.getState() (§2.3). */
export const CallState = { IDLE: 32, ACTIVE: 33, INVALID: 34 } as const;

/** Connection.getState(), the core package (§2.4). */
export const ConnectionState = {
  IDLE: 48,
  INPROGRESS: 49,
  ALERTING: 50,
  CONNECTED: 51,
  DISCONNECTED: 52,
  FAILED: 53,
  UNKNOWN: 54,
} as const;

/** CallControlConnection.getCallControlState() (§2.4). */
export const CallControlConnectionState = {
  IDLE: 80,
  OFFERED: 81,
  QUEUED: 82,
  ALERTING: 83,
  INITIATED: 84,
  DIALING: 85,
  NETWORK_REACHED: 86,
  NETWORK_ALERTING: 87,
  ESTABLISHED: 88,
  DISCONNECTED: 89,
  FAILED: 90,
  UNKNOWN: 91,
} as const;

/** TerminalConnection.getState(), the core package (§2.5). */
export const TerminalConnectionState = {
  IDLE: 64,
  RINGING: 65,
  PASSIVE: 66,
  ACTIVE: 67,
  DROPPED: 68,
  UNKNOWN: 69,
} as const;

/** CallControlTerminalConnection.getCallControlState() (§2.5). */
export const CallControlTerminalConnectionState = {
  IDLE: 96,
  RINGING: 97,
  TALKING: 98,
  HELD: 99,
  BRIDGED: 100,
  INUSE: 101,
  DROPPED: 102,
  UNKNOWN: 103,
} as const;

/** Ev.getCause(): the core causes every event carries (§2.6). */
export const EventCause = {
  CAUSE_NORMAL: 100,
  CAUSE_UNKNOWN: 101,
  CAUSE_CALL_CANCELLED: 102,
  CAUSE_DEST_NOT_OBTAINABLE: 103,
  CAUSE_INCOMPATIBLE_DESTINATION: 104,
  CAUSE_LOCKOUT: 105,
  CAUSE_NEW_CALL: 106,
  CAUSE_RESOURCES_NOT_AVAILABLE: 107,
  CAUSE_NETWORK_CONGESTION: 108,
  CAUSE_NETWORK_NOT_OBTAINABLE: 109,
  CAUSE_SNAPSHOT: 110,
} as const;

/** CallCtlEv.getCallControlCause() (§2.6). */
export const CallControlCause = {
  CAUSE_ALTERNATE: 202,
  CAUSE_BUSY: 203,
  CAUSE_CALL_BACK: 204,
  CAUSE_CALL_NOT_ANSWERED: 205,
  CAUSE_CALL_PICKUP: 206,
  CAUSE_CONFERENCE: 207,
  CAUSE_DO_NOT_DISTURB: 208,
  CAUSE_PARK: 209,
  CAUSE_REDIRECTED: 210,
  CAUSE_REORDER_TONE: 211,
  CAUSE_TRANSFER: 212,
  CAUSE_TRUNKS_BUSY: 213,
  CAUSE_UNHOLD: 214,
} as const;

/** CiscoCallEv.getCiscoCause(): Q.850 values and Cisco's own (§2.6); the ones Strowger produces. */
export const CiscoCause = {
  CAUSE_NORMALCALLCLEARING: 16,
  CAUSE_USERBUSY: 17,
  CAUSE_NOUSERRESPONDING: 18,
  CAUSE_NOANSWERFROMUSER: 19,
  CAUSE_CALLREJECTED: 21,
  CAUSE_UNALLOCATEDNUMBER: 1,
  CAUSE_DESTINATIONOUTOFORDER: 27,
  CAUSE_TEMPORARYFAILURE: 41,
  CAUSE_REDIRECTED: 200,
  CAUSE_OUTBOUNDTRANSFER: 501,
  CAUSE_OUTBOUNDCONFERENCE: 502,
  CAUSE_INBOUNDTRANSFER: 503,
  CAUSE_INBOUNDCONFERENCE: 504,
  CAUSE_INBOUNDBLINDTRANSFER: 505,
} as const;

/** Ev.getMetaCode(): what a batch of events is about (§2.6). */
export const MetaCode = {
  META_CALL_STARTING: 128,
  META_CALL_PROGRESS: 129,
  META_CALL_ADDITIONAL_PARTY: 130,
  META_CALL_REMOVING_PARTY: 131,
  META_CALL_ENDING: 132,
  META_CALL_MERGING: 133,
  META_CALL_TRANSFERRING: 134,
  META_SNAPSHOT: 135,
  META_UNKNOWN: 136,
} as const;

/** CiscoConnection.getReason(): how the call reached this connection (§2.6). */
export const ConnectionReason = {
  REASON_DIRECTCALL: 1,
  REASON_TRANSFERREDCALL: 2,
  REASON_FORWARDNOANSWER: 3,
  REASON_FORWARDBUSY: 4,
  REASON_FORWARDALL: 5,
  REASON_REDIRECT: 6,
  REASON_OUTBOUND: 99,
} as const;

/** CiscoRestrictedEv.getCause() (§3.4). */
export const RestrictedCause = {
  CAUSE_UNKNOWN: 0,
  CAUSE_USER_RESTRICTED: 1,
  CAUSE_UNSUPPORTED_PROTOCOL: 2,
  CAUSE_UNSUPPORTED_DEVICE_CONFIGURATION: 3,
} as const;

/** CiscoTermOutOfServiceEv's cause: why a terminal left service. */
export const OutOfServiceCause = {
  /** The phone's registration ended (unregistered or expired). */
  CAUSE_UNREGISTERED: 0,
  /** The device became restricted while observed (Cisco reports 1008 there, §3.4). */
  CAUSE_DEVICE_RESTRICTED: 1008,
  /** The device left the provider's domain. */
  CAUSE_REMOVED: 1009,
} as const;

/**
 * CiscoProvTerminalRegisteredEv / CiscoProvTerminalUnRegisteredEv getReason() (§1.5): why a terminal
 * of the domain registered or unregistered. Strowger sends them for Extension Mobility (LOGIN, LOGOUT).
 */
export const TerminalRegistrationReason = {
  REASON_UNKNOWN: 0,
  REASON_RESET: 1,
  REASON_LOGIN: 2,
  REASON_LOGOUT: 3,
  ENERGYWISE_POWER_SAVE_PLUS: 4,
} as const;

/**
 * CiscoProvEv.getCiscoCause() (§3.3) on the events that add terminals and addresses to a domain or
 * take them away: an Extension Mobility login or logout changed the phone's lines (EM_LOGIN,
 * EM_LOGOUT), or brought the phone into the domain or took it out (EM_LOGIN_PROFILE_ADD,
 * EM_LOGOUT_PROFILE_REMOVE); anything else (a configuration change) is NORMAL.
 */
export const ProviderEventCause = {
  CAUSE_NORMAL: 0,
  CAUSE_EM_LOGIN: 1,
  CAUSE_EM_LOGOUT: 2,
  CAUSE_EM_LOGIN_PROFILE_ADD: 3,
  CAUSE_EM_LOGOUT_PROFILE_REMOVE: 4,
} as const;

/** CiscoTerminal.getDeviceState() (§2.6). */
export const DeviceState = { IDLE: 0, ACTIVE: 1, ALERTING: 2, HELD: 3, UNKNOWN: 4, WHISPER: 5 } as const;

/** CiscoProviderCapabilityChangedEv flag values (§3.6). */
export const CapabilityFlag = { SUPERPROVIDER: 16, MODIFY_CGPN: 32, MONITOR_PARKDN: 64 } as const;

/**
 * Every event's stable numeric id: JTAPI's own for the core (100–121) and call-control (200–221)
 * packages; Cisco's extension events have no public number, so ours start at 1000.
 */
export const EventId = {
  AddrObservationEndedEv: 100,
  CallActiveEv: 101,
  CallInvalidEv: 102,
  CallObservationEndedEv: 103,
  ConnAlertingEv: 104,
  ConnConnectedEv: 105,
  ConnCreatedEv: 106,
  ConnDisconnectedEv: 107,
  ConnFailedEv: 108,
  ConnInProgressEv: 109,
  ConnUnknownEv: 110,
  ProvInServiceEv: 111,
  ProvObservationEndedEv: 112,
  ProvOutOfServiceEv: 113,
  ProvShutdownEv: 114,
  TermConnActiveEv: 115,
  TermConnCreatedEv: 116,
  TermConnDroppedEv: 117,
  TermConnPassiveEv: 118,
  TermConnRingingEv: 119,
  TermConnUnknownEv: 120,
  TermObservationEndedEv: 121,
  CallCtlAddrForwardEv: 201,
  CallCtlAddrMessageWaitingEv: 202,
  CallCtlConnAlertingEv: 203,
  CallCtlConnDialingEv: 204,
  CallCtlConnDisconnectedEv: 205,
  CallCtlConnEstablishedEv: 206,
  CallCtlConnFailedEv: 207,
  CallCtlConnInitiatedEv: 208,
  CallCtlConnNetworkAlertingEv: 209,
  CallCtlConnNetworkReachedEv: 210,
  CallCtlConnOfferedEv: 211,
  CallCtlConnQueuedEv: 212,
  CallCtlConnUnknownEv: 213,
  CallCtlTermConnBridgedEv: 214,
  CallCtlTermConnDroppedEv: 215,
  CallCtlTermConnHeldEv: 216,
  CallCtlTermConnInUseEv: 217,
  CallCtlTermConnRingingEv: 218,
  CallCtlTermConnTalkingEv: 219,
  CallCtlTermConnUnknownEv: 220,
  CallCtlTermDoNotDisturbEv: 221,
  MediaTermConnDtmfEv: 401,
  CiscoTermCreatedEv: 1001,
  CiscoTermRemovedEv: 1002,
  CiscoAddrCreatedEv: 1003,
  CiscoAddrRemovedEv: 1004,
  CiscoAddrAddedToTerminalEv: 1005,
  CiscoAddrRemovedFromTerminalEv: 1006,
  CiscoTermInServiceEv: 1007,
  CiscoTermOutOfServiceEv: 1008,
  CiscoAddrInServiceEv: 1009,
  CiscoAddrOutOfServiceEv: 1010,
  CiscoTermRestrictedEv: 1011,
  CiscoTermActivatedEv: 1012,
  CiscoAddrRestrictedEv: 1013,
  CiscoAddrActivatedEv: 1014,
  CiscoAddrRestrictedOnTerminalEv: 1015,
  CiscoAddrActivatedOnTerminalEv: 1016,
  CiscoProviderCapabilityChangedEv: 1017,
  CiscoTransferStartEv: 1020,
  CiscoTransferEndEv: 1021,
  CiscoConferenceStartEv: 1022,
  CiscoConferenceEndEv: 1023,
  RouteEv: 1030,
  ReRouteEv: 1031,
  RouteUsedEv: 1032,
  RouteEndEv: 1033,
  RouteCallbackEndedEv: 1034,
  RouteCallbackActivatedEv: 1035,
  CiscoMediaOpenLogicalChannelEv: 1040,
  CiscoRTPInputStartedEv: 1041,
  CiscoRTPOutputStartedEv: 1042,
  CiscoRTPInputStoppedEv: 1043,
  CiscoRTPOutputStoppedEv: 1044,
  CiscoProvTerminalRegisteredEv: 1050,
  CiscoProvTerminalUnRegisteredEv: 1051,
} as const;
export type EventType = keyof typeof EventId;
