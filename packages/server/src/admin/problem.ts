import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError, isStrowgerError, type Logger } from '../core/index.js';

/** One problem with one field of a request: where (`body.forward.busy`, `query.limit`) and what. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Every error leaves the HTTP API as RFC 9457 problem+json carrying the same stable code the CTI
 * protocol uses, so a program can branch on `code` and a person can read `detail`. A request that
 * fails validation lists each field in `errors` (an RFC 9457 extension member).
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
  /** Seconds until a locked-out login may try again (with 429). */
  retryAfterSeconds?: number;
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'A stable error code (docs/errors.md).' }),
    detail: Type.String({ description: 'What went wrong and what to do, for a person.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'Where: body.dn, query.limit, body.forward.busy.destination…' }),
          message: Type.String(),
        }),
      ),
    ),
    retryAfterSeconds: Type.Optional(Type.Integer()),
  },
  { description: 'An RFC 9457 problem detail.' },
);

/**
 * An error with an HTTP status of its own where the code's usual one does not fit: 412 for a stale
 * If-Match, 409 for a name that is taken, 429 for a locked-out login.
 */
export class HttpProblem extends StrowgerError {
  readonly status: number;
  readonly errors: FieldProblem[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { errors?: FieldProblem[]; retryAfterSeconds?: number } = {},
  ) {
    super(code, message);
    this.status = status;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
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
  [ErrorCode.AccountLocked]: 429,
  [ErrorCode.Unsupported]: 501,
  [ErrorCode.ResourceUnavailable]: 503,
};

export function problemFor(error: unknown): Problem {
  if (error instanceof HttpProblem) {
    return {
      ...problem(error.status, error.code, error.message),
      ...(error.errors === undefined ? {} : { errors: error.errors }),
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  if (isStrowgerError(error)) {
    const status = statusByCode[error.code] ?? 500;
    const problems: unknown = error.details?.problems;
    const errors = Array.isArray(problems) ? problems.map(fieldProblemOf) : undefined;
    return {
      ...problem(status, error.code, error.message),
      ...(errors === undefined ? {} : { errors }),
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    // Fields are named as a caller writes them: body.dn, query.limit, path.name, headers.if-match.
    const context = contextNames[fastifyError.validationContext ?? 'body'] ?? fastifyError.validationContext ?? 'body';
    const errors = fastifyError.validation.map((issue) => validationProblem(context, issue));
    return {
      ...problem(
        400,
        ErrorCode.InvalidArgument,
        `${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}; see /api/v1/openapi.json for the expected shape`,
      ),
      errors,
    };
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  return problem(
    status,
    status >= 500 ? ErrorCode.Internal : ErrorCode.InvalidArgument,
    status >= 500 ? 'internal error; the server log has the details' : (fastifyError.message ?? 'bad request'),
  );
}

const contextNames: Partial<Record<string, string>> = { querystring: 'query', params: 'path' };

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

/** An ajv issue as a field and a sentence: `body.sip.username: must match pattern "…"`. */
function validationProblem(context: string, issue: ValidationIssue): FieldProblem {
  const path = issue.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
  const missing = issue.params.missingProperty;
  const extra = issue.params.additionalProperty;
  if (typeof missing === 'string') return { field: `${context}${path}.${missing}`, message: 'is required' };
  if (typeof extra === 'string') {
    return {
      field: `${context}${path}.${extra}`,
      message: 'is not a known field; remove it (names are case-sensitive)',
    };
  }
  return { field: `${context}${path}`, message: issue.message ?? 'is not valid' };
}

/**
 * A configuration problem as a field problem: a file's problem has its path, line and column; a
 * rule's ("body: busyTrigger 3 is above maxCalls 2; …", "device X: line 1001 is not declared; …")
 * names what is wrong before its first colon.
 */
function fieldProblemOf(problem: unknown): FieldProblem {
  // A configuration file's problem names its place: file:line:column and the path in the document.
  if (typeof problem === 'object' && problem !== null && 'path' in problem && 'message' in problem) {
    const where =
      'line' in problem && 'column' in problem
        ? ` (line ${String(problem.line)}, column ${String(problem.column)})`
        : '';
    return { field: String(problem.path), message: `${String(problem.message)}${where}` };
  }
  const text = String(problem);
  const colon = text.indexOf(': ');
  return colon > 0 && colon < 80
    ? { field: text.slice(0, colon), message: text.slice(colon + 2) }
    : { field: '', message: text };
}

/**
 * Answers with the problem for `error`. Every 5xx is logged with its cause on `log` (the reply only
 * says "the server log has the details", so the log must have them), whatever the request logging.
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, log: Logger): FastifyReply {
  const body = problemFor(error);
  if (body.status >= 500) {
    log.error(
      { err: error, method: request.method, url: shortUrl(request.url), status: body.status },
      'HTTP request failed',
    );
  }
  let answer = reply.status(body.status);
  if (body.retryAfterSeconds !== undefined) answer = answer.header('Retry-After', String(body.retryAfterSeconds));
  // RFC 9110 §11.6.1: a 401 names the scheme to use; Basic works from curl and scripts. A page's own
  // requests say X-Requested-With, and get none: a browser would pop up its password dialog.
  if (body.status === 401 && request.headers['x-requested-with'] === undefined)
    answer = answer.header('WWW-Authenticate', 'Basic realm="Strowger", charset="UTF-8"');
  return answer.type('application/problem+json').send(body);
}

/** A problem made here rather than from an error: status, stable code and what to do. */
export function problem(status: number, code: ErrorCode, detail: string): Problem {
  return { type: 'about:blank', title: code, status, code, detail };
}

/** A URL as logs and messages quote it: a 100 KB URL is cut. */
export function shortUrl(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}… (${url.length} characters)` : url;
}
