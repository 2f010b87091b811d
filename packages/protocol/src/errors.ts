import { Type, type Static } from '@sinclair/typebox';
import { ErrorCode } from '@strowger/core';

/** A refusal: a stable code a program branches on, a message a person reads, details for programs. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({
      description: `A stable error code (docs/errors.md): ${Object.values(ErrorCode).join(', ')}; clients treat an unknown code like INTERNAL`,
    }),
    message: Type.String({ description: 'What went wrong and what to do' }),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Structured details: the field path, a limit, retryAfterMs, `cisco` (the CiscoJtapiException name)',
      }),
    ),
  },
  { title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/**
 * The CiscoJtapiException (or JTAPI exception class) a JTAPI developer knows for each code; the
 * server puts it in `details.cisco`.
 */
export const ciscoErrorNames: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.AuthenticationFailed]: 'DIRECTORY_LOGIN_FAILED',
  [ErrorCode.LoginNotAllowed]: 'DIRECTORY_LOGIN_NOT_ALLOWED',
  [ErrorCode.AccountLocked]: 'CTIERR_LOGIN_FAILED_ACCOUNT_LOCKED',
  [ErrorCode.ProviderNotOpen]: 'PROVIDER_NOT_OPEN',
  [ErrorCode.AccessToDeviceDenied]: 'CTIERR_ACCESS_TO_DEVICE_DENIED',
  [ErrorCode.DeviceRestricted]: 'CTIERR_DEVICE_RESTRICTED',
  [ErrorCode.LineRestricted]: 'CTIERR_LINE_RESTRICTED',
  [ErrorCode.UserNotAuthorizedForSecurity]: 'CTIERR_USER_NOT_AUTH_FOR_SECURITY',
  [ErrorCode.PrivilegeViolation]: 'PrivilegeViolationException',
  [ErrorCode.InvalidArgument]: 'InvalidArgumentException',
  [ErrorCode.InvalidState]: 'InvalidStateException',
  [ErrorCode.UnknownMethod]: 'MethodNotSupportedException',
  [ErrorCode.Unsupported]: 'MethodNotSupportedException',
  [ErrorCode.ResourceUnavailable]: 'ResourceUnavailableException',
};
