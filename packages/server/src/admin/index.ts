export { createAdminServer, type AdminServerOptions, type AdminStore } from './http-server.js';
export { logLevels, type LogLevel, type ServerStatus, type RuntimeControl } from './routes/runtime.js';
export type { AccountDirectory } from './auth/authenticator.js';
export type { DeviceView, RegistrationBinding, DeviceDirectoryView } from './device-view.js';
export { DeviceViewSchema, RegistrationBindingSchema } from './device-view.js';
export type { HealthSource } from './routes/health.js';
export { problemFor, type Problem } from './problem.js';
export type { CallView, CallDirectoryView } from './call-view.js';
export { CallViewSchema } from './call-view.js';
export type { CallRecordSource } from './routes/call-records.js';
export type { CtiExplainSource } from './routes/cti-explain.js';
export {
  AccessExplanationSchema,
  UserAccessReportSchema,
  type AccessExplanation,
  type UserAccessReportView,
} from './cti-explain-view.js';
export type { MobilityControl, MobilityLoginView } from './routes/extension-mobility.js';
export { SipTraceItemSchema, type SipTraceItem, type SipTraceFilter, type SipTraceSource } from './routes/sip-trace.js';
export { CallStatistics, type CallStatisticsView } from './live/call-statistics.js';
export type { LiveChange, LiveSource } from './live/live-feed.js';
