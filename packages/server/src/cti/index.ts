/**
 * The CTI part: the CTI server (CUCM's CTIManager for WebSocket clients), the permission model of
 * domain reference §3 and its explainer, on which the server builds its provider open and its
 * per-request checks.
 *
 * - `CtiServer` (server/) listens, runs one `CtiSession` per connection (handshake, keep-alive,
 *   limits, outbound queue) and hands requests to the `ProviderService` (provider/): provider open
 *   and resume, domains and their live changes, observers, and the engine's events mapped to JTAPI's
 *   (monitoring/jtapi-event-mapper.ts).
 *
 * - `CtiConfiguration.fromSnapshot(snapshot)` indexes a configuration snapshot once (cached per
 *   snapshot object); every other function takes it.
 * - `evaluateAccess` is the decision function of §3.8 for one user and one device or device–line
 *   appearance: observe, control, the error code, and every rule that decided.
 * - `computeProviderDomain` is what a provider open replies: terminals and addresses with their
 *   restricted flags, and every configured device and line left out with its reason.
 * - `explainUser` says which of a user's CTI settings are needed and which could go.
 */
export {
  CtiConfiguration,
  type CtiUser,
  type CtiUserKind,
  type CtiDevice,
  type CtiLine,
  type ExtensionMobilityLogin,
  type LoginOnDevice,
} from './permissions/cti-configuration.js';
export {
  evaluateAccess,
  decideAccess,
  featuresFor,
  isDeviceRestricted,
  type AccessQuery,
  type AccessVerdict,
  type AccessDecision,
  type DomainSource,
} from './permissions/evaluate-access.js';
export {
  computeProviderDomain,
  type ProviderDomain,
  type DomainTerminal,
  type DomainAddress,
  type Exclusion,
} from './permissions/provider-domain.js';
export {
  explainUser,
  type UserAccessReport,
  type SettingAssessment,
  type SettingStatus,
} from './permissions/explain-user.js';
export { CtiSetting, type AccessRule, type RuleEffect, type AccessDeniedCode } from './permissions/access-rule.js';
export { CtiRole, CtiFeature, featureRoles, rolesOfGroups } from './permissions/roles.js';
export { findCtiUser, explainDevice, explainLine, type LineExplanation } from './explain.js';
export { CtiServer, defaultSessionLimits, defaultKeepAlive, type CtiServerOptions } from './server/cti-server.js';
export type { SessionLimits, KeepAliveRange } from './server/session.js';
export { CtiDevices, type CtiDevicesOptions, type CtiDeviceEngine } from './devices/cti-devices.js';
export {
  ProviderService,
  type ProviderServiceOptions,
  type CtiEngine,
  type OpenProviderSummary,
} from './provider/provider-service.js';
export { asyncApiDocument as ctiAsyncApiDocument } from '@strowger/protocol';
