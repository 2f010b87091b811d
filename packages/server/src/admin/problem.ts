import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isStrowgerError } from '../core/index.js';

/**
 * Every error leaves the HTTP API as RFC 9457 problem+json carrying the same stable code the CTI
 * protocol uses, so a program can branch on `code` and a person can read `detail`.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
}

const statusByCode: Partial<Record<string, number>> = {
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.ConfigInvalid]: 400,
  [ErrorCode.AuthenticationFailed]: 401,
  [ErrorCode.PrivilegeViolation]: 403,
  [ErrorCode.LoginNotAllowed]: 403,
  [ErrorCode.AccessToDeviceDenied]: 403,
  [ErrorCode.DeviceRestricted]: 403,
  [ErrorCode.LineRestricted]: 403,
  [ErrorCode.UserNotAuthorizedForSecurity]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.InvalidState]: 409,
  [ErrorCode.Unsupported]: 501,
  [ErrorCode.ResourceUnavailable]: 503,
};

export function problemFor(error: unknown): Problem {
  if (isStrowgerError(error)) {
    const status = statusByCode[error.code] ?? 500;
    return { type: 'about:blank', title: error.code, status, code: error.code, detail: error.message };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    return {
      type: 'about:blank',
      title: ErrorCode.InvalidArgument,
      status: 400,
      code: ErrorCode.InvalidArgument,
      detail: `${fastifyError.message ?? 'invalid request'}; see the OpenAPI document for the expected shape`,
    };
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  return {
    type: 'about:blank',
    title: status >= 500 ? ErrorCode.Internal : ErrorCode.InvalidArgument,
    status,
    code: status >= 500 ? ErrorCode.Internal : ErrorCode.InvalidArgument,
    detail: status >= 500 ? 'internal error; the server log has the details' : (fastifyError.message ?? 'bad request'),
  };
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const problem = problemFor(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(problem.status).type('application/problem+json').send(problem);
}
