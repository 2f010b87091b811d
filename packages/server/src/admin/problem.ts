import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isStrowgerError, type Logger } from '../core/index.js';

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
  [ErrorCode.AccountLocked]: 429,
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

/**
 * Answers with the problem for `error`. Every 5xx is logged with its cause on `log` (the reply only
 * says "the server log has the details", so the log must have them), whatever the request logging.
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, log: Logger): FastifyReply {
  const problem = problemFor(error);
  if (problem.status >= 500) {
    log.error(
      { err: error, method: request.method, url: shortUrl(request.url), status: problem.status },
      'HTTP request failed',
    );
  }
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** A problem made here rather than from an error: status, stable code and what to do. */
export function problem(status: number, code: ErrorCode, detail: string): Problem {
  return { type: 'about:blank', title: code, status, code, detail };
}

/** A URL as logs and messages quote it: a 100 KB URL is cut. */
export function shortUrl(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}… (${url.length} characters)` : url;
}
