import { ErrorCode, StrowgerError } from '@strowger/core';
import type { WireError } from './wire.js';

interface ErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/**
 * The base of every error the SDK rejects with. `code` is the protocol's stable error code (the same
 * string over CTI and REST); `cisco` is the CiscoJtapiException name when the server gave one, so a
 * JTAPI developer recognises it.
 */
export class CtiError extends StrowgerError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'CtiError';
  }

  get cisco(): string | undefined {
    const cisco = this.details?.cisco;
    return typeof cisco === 'string' ? cisco : undefined;
  }
}

/** The server could not read a frame this client sent (a bug in the client, or a protocol mismatch). */
export class MalformedFrameError extends CtiError {
  static readonly code = 'MALFORMED_FRAME';
  constructor(message: string, options?: ErrorOptions) {
    super('MALFORMED_FRAME', message, options);
    this.name = 'MalformedFrameError';
  }
}

/** The server does not know the method; its message lists those it does. */
export class UnknownMethodError extends CtiError {
  static readonly code = 'UNKNOWN_METHOD';
  constructor(message: string, options?: ErrorOptions) {
    super('UNKNOWN_METHOD', message, options);
    this.name = 'UnknownMethodError';
  }
}

/** A frame exceeded the server's maxFrameBytes (given in the hello result). */
export class FrameTooLargeError extends CtiError {
  static readonly code = 'FRAME_TOO_LARGE';
  constructor(message: string, options?: ErrorOptions) {
    super('FRAME_TOO_LARGE', message, options);
    this.name = 'FrameTooLargeError';
  }
}

/** More requests were unanswered at once than the server's maxPendingRequests. */
export class TooManyRequestsError extends CtiError {
  static readonly code = 'TOO_MANY_REQUESTS';
  constructor(message: string, options?: ErrorOptions) {
    super('TOO_MANY_REQUESTS', message, options);
    this.name = 'TooManyRequestsError';
  }
}

/** More requests per second than the server's requestsPerSecond; retry after `retryAfterMs`. */
export class RateLimitedError extends CtiError {
  static readonly code = 'RATE_LIMITED';
  constructor(message: string, options?: ErrorOptions) {
    super('RATE_LIMITED', message, options);
    this.name = 'RateLimitedError';
  }
}

/** A request came before the hello handshake. */
export class HandshakeRequiredError extends CtiError {
  static readonly code = 'HANDSHAKE_REQUIRED';
  constructor(message: string, options?: ErrorOptions) {
    super('HANDSHAKE_REQUIRED', message, options);
    this.name = 'HandshakeRequiredError';
  }
}

/** The server speaks none of this SDK's protocol versions (`details.supported` lists its own). */
export class UnsupportedVersionError extends CtiError {
  static readonly code = 'UNSUPPORTED_VERSION';
  constructor(message: string, options?: ErrorOptions) {
    super('UNSUPPORTED_VERSION', message, options);
    this.name = 'UnsupportedVersionError';
  }
}

/** The user is not in a group with the role "Standard CTI Enabled" (Cisco: DIRECTORY_LOGIN_NOT_ALLOWED). */
export class LoginNotAllowedError extends CtiError {
  static readonly code = 'LOGIN_NOT_ALLOWED';
  constructor(message: string, options?: ErrorOptions) {
    super('LOGIN_NOT_ALLOWED', message, options);
    this.name = 'LoginNotAllowedError';
  }
}

/** Wrong user id or password (Cisco: DIRECTORY_LOGIN_FAILED). */
export class AuthenticationFailedError extends CtiError {
  static readonly code = 'AUTHENTICATION_FAILED';
  constructor(message: string, options?: ErrorOptions) {
    super('AUTHENTICATION_FAILED', message, options);
    this.name = 'AuthenticationFailedError';
  }
}

/** Too many failed logins from this source; retry after `retryAfterMs` (Cisco: CTIERR_LOGIN_FAILED_ACCOUNT_LOCKED). */
export class AccountLockedError extends CtiError {
  static readonly code = 'ACCOUNT_LOCKED';
  constructor(message: string, options?: ErrorOptions) {
    super('ACCOUNT_LOCKED', message, options);
    this.name = 'AccountLockedError';
  }
}

/** The provider is not open, or no longer known to the server (Cisco: PROVIDER_NOT_OPEN). */
export class ProviderNotOpenError extends CtiError {
  static readonly code = 'PROVIDER_NOT_OPEN';
  constructor(message: string, options?: ErrorOptions) {
    super('PROVIDER_NOT_OPEN', message, options);
    this.name = 'ProviderNotOpenError';
  }
}

/** The device or line is outside the provider's domain (Cisco: CTIERR_ACCESS_TO_DEVICE_DENIED). */
export class AccessToDeviceDeniedError extends CtiError {
  static readonly code = 'ACCESS_TO_DEVICE_DENIED';
  constructor(message: string, options?: ErrorOptions) {
    super('ACCESS_TO_DEVICE_DENIED', message, options);
    this.name = 'AccessToDeviceDeniedError';
  }
}

/** The device's "Allow Control of Device from CTI" is off (Cisco: CTIERR_DEVICE_RESTRICTED). */
export class DeviceRestrictedError extends CtiError {
  static readonly code = 'DEVICE_RESTRICTED';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_RESTRICTED', message, options);
    this.name = 'DeviceRestrictedError';
  }
}

/** The line's "Allow Control of Device from CTI" is off (Cisco: CTIERR_LINE_RESTRICTED). */
export class LineRestrictedError extends CtiError {
  static readonly code = 'LINE_RESTRICTED';
  constructor(message: string, options?: ErrorOptions) {
    super('LINE_RESTRICTED', message, options);
    this.name = 'LineRestrictedError';
  }
}

/** A secure feature (SRTP keys) without the security roles or TLS (Cisco: CTIERR_USER_NOT_AUTH_FOR_SECURITY). */
export class UserNotAuthorizedForSecurityError extends CtiError {
  static readonly code = 'USER_NOT_AUTHORIZED_FOR_SECURITY';
  constructor(message: string, options?: ErrorOptions) {
    super('USER_NOT_AUTHORIZED_FOR_SECURITY', message, options);
    this.name = 'UserNotAuthorizedForSecurityError';
  }
}

/** A parameter has the wrong shape or value; `details.path` names it (JTAPI InvalidArgumentException). */
export class InvalidArgumentError extends CtiError {
  static readonly code = 'INVALID_ARGUMENT';
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** The object is in a state where the operation is not allowed (JTAPI InvalidStateException). */
export class InvalidStateError extends CtiError {
  static readonly code = 'INVALID_STATE';
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_STATE', message, options);
    this.name = 'InvalidStateError';
  }
}

/** The named object does not exist. */
export class NotFoundError extends CtiError {
  static readonly code = 'NOT_FOUND';
  constructor(message: string, options?: ErrorOptions) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}

/** The user lacks the role the operation needs (JTAPI PrivilegeViolationException). */
export class PrivilegeViolationError extends CtiError {
  static readonly code = 'PRIVILEGE_VIOLATION';
  constructor(message: string, options?: ErrorOptions) {
    super('PRIVILEGE_VIOLATION', message, options);
    this.name = 'PrivilegeViolationError';
  }
}

/** A limit was reached or a resource is missing (JTAPI ResourceUnavailableException). */
export class ResourceUnavailableError extends CtiError {
  static readonly code = 'RESOURCE_UNAVAILABLE';
  constructor(message: string, options?: ErrorOptions) {
    super('RESOURCE_UNAVAILABLE', message, options);
    this.name = 'ResourceUnavailableError';
  }
}

/** The operation is understood but not supported (JTAPI MethodNotSupportedException). */
export class UnsupportedError extends CtiError {
  static readonly code = 'UNSUPPORTED';
  constructor(message: string, options?: ErrorOptions) {
    super('UNSUPPORTED', message, options);
    this.name = 'UnsupportedError';
  }
}

/** Something went wrong inside the server; its message says what. */
export class InternalError extends CtiError {
  static readonly code = 'INTERNAL';
  constructor(message: string, options?: ErrorOptions) {
    super('INTERNAL', message, options);
    this.name = 'InternalError';
  }
}

/** Whether `error` has a `retryAfterMs` (RATE_LIMITED, ACCOUNT_LOCKED) and how long to wait. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof CtiError)) return undefined;
  const value = error.details?.retryAfterMs;
  return typeof value === 'number' ? value : undefined;
}

const byCode: Partial<Record<ErrorCode, new (message: string, options?: ErrorOptions) => CtiError>> = {
  MALFORMED_FRAME: MalformedFrameError,
  UNKNOWN_METHOD: UnknownMethodError,
  FRAME_TOO_LARGE: FrameTooLargeError,
  TOO_MANY_REQUESTS: TooManyRequestsError,
  RATE_LIMITED: RateLimitedError,
  HANDSHAKE_REQUIRED: HandshakeRequiredError,
  UNSUPPORTED_VERSION: UnsupportedVersionError,
  LOGIN_NOT_ALLOWED: LoginNotAllowedError,
  AUTHENTICATION_FAILED: AuthenticationFailedError,
  ACCOUNT_LOCKED: AccountLockedError,
  PROVIDER_NOT_OPEN: ProviderNotOpenError,
  ACCESS_TO_DEVICE_DENIED: AccessToDeviceDeniedError,
  DEVICE_RESTRICTED: DeviceRestrictedError,
  LINE_RESTRICTED: LineRestrictedError,
  USER_NOT_AUTHORIZED_FOR_SECURITY: UserNotAuthorizedForSecurityError,
  INVALID_ARGUMENT: InvalidArgumentError,
  INVALID_STATE: InvalidStateError,
  NOT_FOUND: NotFoundError,
  PRIVILEGE_VIOLATION: PrivilegeViolationError,
  RESOURCE_UNAVAILABLE: ResourceUnavailableError,
  UNSUPPORTED: UnsupportedError,
  INTERNAL: InternalError,
};

/** The protocol error codes that have a class of their own, with that class. */
export const errorClasses: Readonly<
  Partial<Record<ErrorCode, new (message: string, options?: ErrorOptions) => CtiError>>
> = byCode;

const knownCodes = new Set<string>(Object.values(ErrorCode));

function isErrorCode(code: string): code is ErrorCode {
  return knownCodes.has(code);
}

/**
 * The SDK's error for an error the server answered with: the class of its code. A code this SDK
 * does not know (a newer server's) is treated as INTERNAL, as the protocol asks, with the code kept
 * in `details.code`.
 */
export function errorFromWire(error: WireError, method?: string): CtiError {
  const details = { ...error.details, ...(method === undefined ? {} : { method }) };
  if (!isErrorCode(error.code)) return new InternalError(error.message, { details: { ...details, code: error.code } });
  const Class = byCode[error.code];
  return Class === undefined
    ? new CtiError(error.code, error.message, { details })
    : new Class(error.message, { details });
}

/**
 * A request got no answer in time (requestTimeoutMs, or the request's own timeoutMs). One of the
 * SDK's own refinements of RESOURCE_UNAVAILABLE (the server was not there for it), as JTAPI's
 * PlatformException covers TIMEOUT.
 */
export class RequestTimeoutError extends ResourceUnavailableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * The connection to the CTI server could not be opened or was lost (closed, or silent for two
 * keep-alive intervals). A provider reconnects by itself; a request that was under way rejects with this.
 */
export class ConnectionLostError extends ResourceUnavailableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConnectionLostError';
  }
}

/** The server sent something the protocol does not allow; the SDK cannot go on with it. */
export function protocolViolation(what: string, details?: Record<string, unknown>): CtiError {
  return new InternalError(`CTI protocol violation: ${what}. Report this with the server and SDK versions.`, {
    ...(details === undefined ? {} : { details }),
  });
}
