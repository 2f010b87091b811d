import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { ErrorCode, type Logger } from '../core/index.js';
import type { CallDirectoryView } from './call-view.js';
import type { DeviceDirectoryView } from './device-view.js';
import { answerClientError } from './client-errors.js';
import { problem, sendProblem, shortUrl, type Problem } from './problem.js';
import { RouteMethods } from './route-methods.js';
import { registerCallRecordRoutes, type CallRecordSource } from './routes/call-records.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerCtiAsyncApiRoute } from './routes/cti-asyncapi.js';
import { registerCtiExplainRoute, type CtiExplainSource } from './routes/cti-explain.js';
import { registerDeviceRoutes } from './routes/devices.js';
import { registerExtensionMobilityRoutes, type MobilityControl } from './routes/extension-mobility.js';
import { registerHealthRoute, type HealthSource } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';

export interface AdminServerOptions {
  devices: DeviceDirectoryView;
  calls?: CallDirectoryView;
  callRecords?: CallRecordSource;
  /** The CTI access explainer's view of the configuration; without it the explain route is not served. */
  cti?: CtiExplainSource;
  /** The CTI protocol's AsyncAPI document, served at /api/v1/cti/asyncapi.json. */
  ctiAsyncApi?: () => Record<string, unknown>;
  health: HealthSource;
  /** Extension Mobility logins; without it those routes are not served. */
  extensionMobility?: MobilityControl;
  metrics: Registry;
  /** A pino logger instance for request logs, or false to keep requests out of the log. */
  logger?: FastifyBaseLogger | false;
  /** Where failed requests (every 5xx, with its cause) are logged, request logs or not. */
  errorLog: Logger;
}

/** Builds the HTTP application (not yet listening), so tests can use `inject` without a socket. */
export async function createAdminServer(options: AdminServerOptions): Promise<FastifyInstance> {
  const log = options.errorLog;
  const routes = new RouteMethods();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Query strings such as ?registered=true are coerced to the schema's types.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
    // Errors the router meets before any route runs are problem+json like the rest.
    frameworkErrors: (error, request, reply) => {
      const url = shortUrl(request.url);
      if (error.code === 'FST_ERR_BAD_URL') {
        sendPlain(reply, problem(400, ErrorCode.InvalidArgument, `${url} is not a valid URL: ${badUrlHint}`));
      } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        const detail = `a path segment of ${url} is longer than ${maxParamLength} characters`;
        sendPlain(reply, problem(414, ErrorCode.InvalidArgument, detail));
      } else {
        sendProblem(error, request, reply, log);
      }
    },
    routerOptions: { maxParamLength },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, log),
  });
  routes.watch(app);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, log));
  app.setNotFoundHandler((request, reply) => {
    const url = shortUrl(request.url);
    const allowed = routes.allowed(request.url);
    if (allowed.length > 0) {
      // RFC 9110 §15.5.6: the resource exists, the method does not; Allow lists what does.
      return sendPlain(
        reply.header('Allow', allowed.join(', ')),
        problem(405, ErrorCode.Unsupported, `${url} answers ${allowed.join(', ')}, not ${request.method}`),
      );
    }
    return sendPlain(
      reply,
      problem(404, ErrorCode.NotFound, `no route ${request.method} ${url}; the API lives under /api/v1`),
    );
  });
  registerHealthRoute(app, options.health);
  registerMetricsRoute(app, options.metrics);
  registerDeviceRoutes(app, options.devices);
  registerCallRoutes(app, options.calls ?? { listCalls: () => [] });
  if (options.callRecords !== undefined) registerCallRecordRoutes(app, options.callRecords);
  if (options.cti !== undefined) registerCtiExplainRoute(app, options.cti);
  if (options.ctiAsyncApi !== undefined) registerCtiAsyncApiRoute(app, options.ctiAsyncApi);
  if (options.extensionMobility !== undefined) registerExtensionMobilityRoutes(app, options.extensionMobility);
  await app.ready();
  return app;
}

/** The longest path parameter (a device name is at most 50 characters). */
const maxParamLength = 100;

const badUrlHint = 'a "%" must start a percent-encoded UTF-8 byte such as %20 (RFC 3986 §2.1)';

function sendPlain(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}
