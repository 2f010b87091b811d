export { ErrorCode, StrowgerError, isStrowgerError } from './errors.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock, FakeClock } from './clock.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export { TypedEmitter } from './emitter.js';
export {
  interfaceAddresses,
  isWildcardAddress,
  localAddressTowards,
  primaryAddress,
  unmapAddress,
  type LocalAddress,
} from './network.js';
export {
  LoginThrottle,
  type LoginAdmission,
  type LoginAttempt,
  type LoginLockout,
  type LoginScope,
  type LoginThrottleObserver,
  type LoginThrottleOptions,
} from './login-throttle.js';
export { KeyedRateLimiter, type KeyedRateLimiterOptions } from './rate-limiter.js';
