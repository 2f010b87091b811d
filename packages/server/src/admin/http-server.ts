import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CallDirectoryView } from './call-view.js';
import type { DeviceDirectoryView } from './device-view.js';
import { sendProblem } from './problem.js';
import { registerCallRecordRoutes, type CallRecordSource } from './routes/call-records.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerCtiExplainRoute, type CtiExplainSource } from './routes/cti-explain.js';
import { registerDeviceRoutes } from './routes/devices.js';
import { registerHealthRoute, type HealthSource } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';

export interface AdminServerOptions {
  devices: DeviceDirectoryView;
  calls?: CallDirectoryView;
  callRecords?: CallRecordSource;
  /** The CTI access explainer's view of the configuration; without it the explain route is not served. */
  cti?: CtiExplainSource;
  health: HealthSource;
  metrics: Registry;
  /** A pino logger instance for request logs, or false to keep requests out of the log. */
  logger?: FastifyBaseLogger | false;
}

/** Builds the HTTP application (not yet listening), so tests can use `inject` without a socket. */
export async function createAdminServer(options: AdminServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Query strings such as ?registered=true are coerced to the schema's types.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
  });
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'NOT_FOUND',
        status: 404,
        code: 'NOT_FOUND',
        detail: `no route ${request.method} ${request.url}; the API lives under /api/v1`,
      }),
  );
  registerHealthRoute(app, options.health);
  registerMetricsRoute(app, options.metrics);
  registerDeviceRoutes(app, options.devices);
  registerCallRoutes(app, options.calls ?? { listCalls: () => [] });
  if (options.callRecords !== undefined) registerCallRecordRoutes(app, options.callRecords);
  if (options.cti !== undefined) registerCtiExplainRoute(app, options.cti);
  await app.ready();
  return app;
}
