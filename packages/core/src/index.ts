export { ErrorCode, StrowgerError, isStrowgerError } from './errors.js';
export { TypedEmitter } from './emitter.js';
export { silentLogger, type Logger } from './logger.js';
export { FakeClock, systemClock, type Clock, type TimerHandle } from './clock.js';
