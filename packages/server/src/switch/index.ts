export { Switch, type SwitchOptions, type OriginateRequest } from './switch.js';
export type { CallView } from './call-view.js';
export type {
  SwitchConfig,
  SwitchDevice,
  SwitchDeviceProfile,
  SwitchMobilityUser,
  SwitchDeviceType,
  SwitchLine,
  ForwardTarget,
  FeatureName,
  SwitchFeatureCode,
} from './config.js';
export type {
  CallEvent,
  CallEventBase,
  CallParties,
  ConnectionEventFields,
  DeviceEvent,
  EngineEventBase,
  FeatureController,
  SwitchEvents,
  TerminalConnectionEventFields,
} from './events.js';
export type { EventCauses } from './causes.js';
export type {
  AddressSnapshot,
  CallSnapshot,
  ConnectionSnapshot,
  TerminalConnectionSnapshot,
  TerminalSnapshot,
} from './call-snapshot.js';
export {
  releaseCauses,
  type AlertRequest,
  type CallRecord,
  type CallRecordSink,
  type DeviceDriver,
  type LegId,
  type MediaEndpoint,
  type DigitSender,
  type MidCallInfo,
  type MediaResources,
  type ConferenceBridge,
  type FeatureCall,
  type FeatureServices,
  type FeatureSession,
  type PartyInfo,
  type Redirection,
  type RedirectReason,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';
export { DigitAnalyzer, PatternError, isPattern } from './digit-analysis.js';
export { dtmfDigitOf } from './operations/dtmf.js';
export * from './states.js';
export {
  ExtensionMobility,
  type ExtensionMobilityOptions,
  type MobilityEvents,
  type MobilityLogin,
  type MobilityLoginRequest,
  type MobilityLogoutReason,
} from './extension-mobility.js';
