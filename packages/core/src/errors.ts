/**
 * The base error of Strowger. Every error that crosses a boundary (CTI, REST, command line) carries a
 * stable `code` a program can branch on and a message a person can act on. The codes are listed in
 * `docs/errors.md`; a test keeps the two in step.
 */
export const ErrorCode = {
  /** The input does not have the shape or values required; the message names the field. */
  InvalidArgument: 'INVALID_ARGUMENT',
  /** The object exists but is in a state where the operation is not allowed. */
  InvalidState: 'INVALID_STATE',
  /** The named object does not exist. */
  NotFound: 'NOT_FOUND',
  /** The caller is authenticated but not allowed to do this. */
  PrivilegeViolation: 'PRIVILEGE_VIOLATION',
  /** The caller could not be authenticated. */
  AuthenticationFailed: 'AUTHENTICATION_FAILED',
  /** A limit was reached or a resource is missing (port in use, database unreachable). */
  ResourceUnavailable: 'RESOURCE_UNAVAILABLE',
  /** The operation is understood but not supported here. */
  Unsupported: 'UNSUPPORTED',
  /** A configuration file or change was rejected; nothing was applied. */
  ConfigInvalid: 'CONFIG_INVALID',
  /** A SIP message could not be parsed. */
  SipParseError: 'SIP_PARSE_ERROR',
  /** A SIP transaction ended without a final response in time (RFC 3261 Timer B/F). */
  SipTimeout: 'SIP_TIMEOUT',
  /** A SIP message could not be sent or the connection failed. */
  SipTransportError: 'SIP_TRANSPORT_ERROR',
  /** Something that should not happen did; the message says what. */
  Internal: 'INTERNAL',
  /** CTI: a frame is not JSON, not an object, of an unknown kind, or misses a field. */
  MalformedFrame: 'MALFORMED_FRAME',
  /** CTI: the request names a method this server does not have; the message lists those it has. */
  UnknownMethod: 'UNKNOWN_METHOD',
  /** CTI: a frame is larger than the session's `maxFrameBytes`; it was discarded. */
  FrameTooLarge: 'FRAME_TOO_LARGE',
  /** CTI: the session already has `maxPendingRequests` requests unanswered. */
  TooManyRequests: 'TOO_MANY_REQUESTS',
  /** CTI: the session sends requests faster than `requestsPerSecond`; `details.retryAfterMs` says when to retry. */
  RateLimited: 'RATE_LIMITED',
  /** CTI: the first request of a session must be `hello`. */
  HandshakeRequired: 'HANDSHAKE_REQUIRED',
  /** CTI: none of the protocol versions the client offered is spoken here; `details.supported` lists ours. */
  UnsupportedVersion: 'UNSUPPORTED_VERSION',
  /**
   * CTI provider open refused: the user is in no access control group holding "Standard CTI Enabled"
   * (CiscoJtapiException DIRECTORY_LOGIN_NOT_ALLOWED, domain reference §2.11).
   */
  LoginNotAllowed: 'LOGIN_NOT_ALLOWED',
  /** Too many failed logins; `details.retryAfterMs` says when the next attempt is accepted. */
  AccountLocked: 'ACCOUNT_LOCKED',
  /** CTI: the request names a provider that is not open in this session (Cisco PROVIDER_NOT_OPEN). */
  ProviderNotOpen: 'PROVIDER_NOT_OPEN',
  /**
   * The device is outside the CTI provider's domain: not a controlled device of the user, and not
   * acquired with the all-devices role (CTIERR_ACCESS_TO_DEVICE_DENIED).
   */
  AccessToDeviceDenied: 'ACCESS_TO_DEVICE_DENIED',
  /**
   * The device is in the domain but restricted: its "Allow Control of Device from CTI" is off, or it
   * needs a role the user lacks (CTIERR_DEVICE_RESTRICTED).
   */
  DeviceRestricted: 'DEVICE_RESTRICTED',
  /** The line's "Allow Control of Device from CTI" is off on every reachable appearance (CTIERR_LINE_RESTRICTED). */
  LineRestricted: 'LINE_RESTRICTED',
  /**
   * A secure CTI feature (SRTP key material) without the security roles or without TLS
   * (CTIERR_USER_NOT_AUTH_FOR_SECURITY).
   */
  UserNotAuthorizedForSecurity: 'USER_NOT_AUTHORIZED_FOR_SECURITY',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class StrowgerError extends Error {
  readonly code: ErrorCode;
  /** Structured details for programs (field paths, limits); never secrets. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StrowgerError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isStrowgerError(value: unknown, code?: ErrorCode): value is StrowgerError {
  return value instanceof StrowgerError && (code === undefined || value.code === code);
}
