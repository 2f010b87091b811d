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
