import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { ErrorCode, LoginThrottle, StrowgerError, systemClock, type Clock, type Logger } from '../core/index.js';
import type { AdminAccounts } from '../store/index.js';
import { installAccessCheck } from './auth/access.js';
import { Authenticator, type AccountDirectory } from './auth/authenticator.js';
import { SessionStore, type SessionLimits } from './auth/sessions.js';
import type { CallDirectoryView } from './call-view.js';
import * as collections from './config/collections.js';
import { ConfigService, type ConfigStore } from './config/config-service.js';
import type { DeviceDirectoryView } from './device-view.js';
import { answerClientError } from './client-errors.js';
import { openApiPath, referencePath, registerOpenApi } from './openapi.js';
import { problem, sendProblem, shortUrl, type Problem } from './problem.js';
import { RouteMethods } from './route-methods.js';
import { registerAuditRoutes, type AuditSource } from './routes/audit.js';
import { registerAdminAccountRoutes, registerAuthRoutes } from './routes/auth.js';
import { registerCallRecordRoutes, type CallRecordSource } from './routes/call-records.js';
import { registerCallRoutes, type CallControl } from './routes/calls.js';
import { registerConfigCollection, type AdminApp } from './routes/config-objects.js';
import { registerConfigExtraRoutes } from './routes/config-extras.js';
import { registerCtiAsyncApiRoute } from './routes/cti-asyncapi.js';
import { registerCtiExplainRoute, type CtiExplainSource } from './routes/cti-explain.js';
import { registerExtensionMobilityRoutes, type MobilityControl } from './routes/extension-mobility.js';
import { registerHealthRoute, type HealthSource } from './routes/health.js';
import { registerImportRoutes } from './routes/imports.js';
import { CallStatistics } from './live/call-statistics.js';
import { LiveFeed, type LiveSource } from './live/live-feed.js';
import { registerLiveRoutes } from './routes/live.js';
import { registerWebUi, type WebUiFallback } from './routes/web-ui.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerRegistrationRoutes, type RegistrationControl } from './routes/registrations.js';
import { registerSipTraceRoutes, type SipTraceSource } from './routes/sip-trace.js';
import {
  type CtiSessionsView,
  registerCtiSessionRoutes,
  registerRuntimeRoutes,
  type RuntimeControl,
} from './routes/runtime.js';

/** What the API reads and changes in the store: the configuration, admin accounts, the audit log. */
export interface AdminStore extends ConfigStore, AuditSource {
  readonly adminAccounts: AdminAccounts;
  exportConfig(): Promise<string>;
}

export interface AdminServerOptions {
  /** Devices with their live registration state. */
  registrations: DeviceDirectoryView;
  /** Unregisters a device on request (DELETE /api/v1/registrations/NAME). */
  registrationControl?: RegistrationControl;
  calls?: CallDirectoryView;
  callControl?: CallControl;
  callRecords?: CallRecordSource;
  /** The CTI access explainer's view of the configuration; without it the explain route is not served. */
  cti?: CtiExplainSource;
  /** Connected CTI sessions and open providers. */
  ctiSessions?: () => CtiSessionsView;
  /** Changes of registrations, calls and CTI sessions, streamed at /api/v1/live; without it that route is not served. */
  live?: LiveSource;
  /** The call series GET /api/v1/stats/calls serves (the dashboard's charts); an empty one unless given. */
  callStatistics?: CallStatistics;
  /** The web UI's built files (packages/web/dist), served at `/`; without it `/` is not served. */
  webRoot?: string;
  /** The CTI protocol's AsyncAPI document, served at /api/v1/cti/asyncapi.json. */
  ctiAsyncApi?: () => Record<string, unknown>;
  /** The configuration, accounts and audit log; without it only the live views are served. */
  store?: AdminStore;
  /** Status and log level of the running server. */
  runtime?: RuntimeControl;
  /** Resolves once the engine serves this configuration version; changes are answered after it. */
  configFollowed?: (version: number) => Promise<void>;
  auth: {
    /** Where accounts are looked up; the store's by default. */
    accounts?: AccountDirectory;
    /** Slows down password and token guessing (service "admin"). */
    throttle?: LoginThrottle;
    /** The token the command line on this machine reads from the data directory. */
    localToken?: string;
    sessions?: Partial<SessionLimits>;
  };
  clock?: Clock;
  health: HealthSource;
  /** The recent SIP messages of each call; without it (the trace switched off) those routes are not served. */
  sipTrace?: SipTraceSource;
  /** Extension Mobility logins; without it those routes are not served. */
  extensionMobility?: MobilityControl;
  metrics: Registry;
  /** A pino logger instance for request logs, or false to keep requests out of the log. */
  logger?: FastifyBaseLogger | false;
  /** Where failed requests (every 5xx, with its cause) are logged, request logs or not. */
  errorLog: Logger;
  version?: string;
}

/** Builds the HTTP application (not yet listening), so tests can use `inject` without a socket. */
export async function createAdminServer(options: AdminServerOptions): Promise<AdminApp> {
  const log = options.errorLog;
  const clock = options.clock ?? systemClock;
  const routes = new RouteMethods();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Query strings such as ?registered=true are coerced to the schema's types; every problem of a
    // request is reported at once (bodies are bounded, so collecting them all stays cheap).
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: true } },
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
  }).withTypeProvider<TypeBoxTypeProvider>();
  routes.watch(app);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, log));
  let webUi: WebUiFallback | undefined;
  app.setNotFoundHandler((request, reply) => {
    // A page of the web UI (its router, not the server's, knows /devices) gets the UI's index.html.
    const page = webUi?.(request, reply);
    if (page !== undefined) return page;
    const url = shortUrl(request.url);
    const allowed = routes.allowed(request.url);
    // A route that answers this method but found nothing (a missing static file) is a plain 404.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      // RFC 9110 §15.5.6: the resource exists, the method does not; Allow lists what does.
      return sendPlain(
        reply.header('Allow', allowed.join(', ')),
        problem(405, ErrorCode.Unsupported, `${url} answers ${allowed.join(', ')}, not ${request.method}`),
      );
    }
    return sendPlain(
      reply,
      problem(
        404,
        ErrorCode.NotFound,
        `no route ${request.method} ${url}; the API lives under /api/v1 (reference: ${referencePath})`,
      ),
    );
  });

  const accounts = options.auth.accounts ?? options.store?.adminAccounts;
  if (accounts === undefined) {
    throw new StrowgerError(ErrorCode.Internal, 'the admin server needs an account directory (auth.accounts or store)');
  }
  const auth = new Authenticator({
    accounts,
    throttle: options.auth.throttle ?? new LoginThrottle({ clock, service: 'admin' }),
    sessions: new SessionStore(clock, options.auth.sessions),
    localToken: options.auth.localToken,
    now: () => clock.now(),
  });
  installAccessCheck(app, auth, [referencePath]);
  await registerOpenApi(app, options.version ?? '0.1.0');

  registerHealthRoute(app, options.health);
  registerMetricsRoute(app, options.metrics);
  registerAuthRoutes(app, auth, options.store?.adminAccounts);
  registerRegistrationRoutes(app, options.registrations, options.registrationControl);
  registerCallRoutes(app, options.calls ?? { listCalls: () => [] }, options.callControl);
  if (options.callRecords !== undefined) registerCallRecordRoutes(app, options.callRecords);
  if (options.cti !== undefined) registerCtiExplainRoute(app, options.cti);
  if (options.ctiSessions !== undefined) registerCtiSessionRoutes(app, options.ctiSessions);
  if (options.ctiAsyncApi !== undefined) registerCtiAsyncApiRoute(app, options.ctiAsyncApi);
  if (options.extensionMobility !== undefined) registerExtensionMobilityRoutes(app, options.extensionMobility);
  if (options.runtime !== undefined) registerRuntimeRoutes(app, options.runtime);
  if (options.sipTrace !== undefined) registerSipTraceRoutes(app, options.sipTrace, clock);
  if (options.live !== undefined) {
    const feed = new LiveFeed({
      source: options.live,
      devices: options.registrations,
      calls: options.calls ?? { listCalls: () => [] },
      ctiSessions: options.ctiSessions ?? (() => ({ sessions: 0, providers: 0, items: [] })),
      clock,
    });
    app.addHook('onClose', async () => feed.close());
    registerLiveRoutes(app, { feed, statistics: options.callStatistics ?? new CallStatistics(clock), clock });
  }
  if (options.webRoot !== undefined) webUi = await registerWebUi(app, options.webRoot);
  const store = options.store;
  if (store !== undefined) {
    const config = new ConfigService(store, options.configFollowed);
    registerConfigCollection(app, collections.devices, config);
    registerConfigCollection(app, collections.lines, config);
    registerConfigCollection(app, collections.voicemailProfiles, config);
    registerConfigCollection(app, collections.lineGroups, config);
    registerConfigCollection(app, collections.huntLists, config);
    registerConfigCollection(app, collections.huntPilots, config);
    registerConfigCollection(app, collections.endUsers, config);
    registerConfigCollection(app, collections.applicationUsers, config);
    registerConfigCollection(app, collections.deviceProfiles, config);
    registerConfigExtraRoutes(app, config, () => store.exportConfig());
    registerImportRoutes(app, config, log);
    registerAuditRoutes(app, store);
    registerAdminAccountRoutes(app, auth, store.adminAccounts);
  }
  await app.ready();
  return app;
}

export { openApiPath };

/** The longest path parameter (a device name is at most 50 characters, a call id a little more). */
const maxParamLength = 100;

const badUrlHint = 'a "%" must start a percent-encoded UTF-8 byte such as %20 (RFC 3986 §2.1)';

function sendPlain(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}
