export {
  Registrar,
  defaultRegistrarLimits,
  type RegistrarOptions,
  type RegistrarLimits,
  type RegisterExchange,
  type RegisterOutcome,
} from './registrar.js';
export {
  RegistrationTable,
  type Binding,
  type BindingSource,
  type RegistrationTableEvents,
} from './registration-table.js';
export type { SipAccount, SipAccountDirectory } from './sip-accounts.js';
export { SipPhoneDriver, type SipPhoneDriverOptions, type SipLegStarted } from './sip-phone-driver.js';
export type { SwitchInputs } from './sip-leg.js';
export { causeFromStatus } from './sip-causes.js';
export {
  DigestGate,
  type DigestGateOptions,
  type GateRefusal,
  type GateResult,
  type GatedExchange,
  type ChallengeKind,
} from './digest-gate.js';
