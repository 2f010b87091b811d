export { Store, openStore } from './store.js';
export type { StoreLocation } from './database.js';
export type { ApplyOptions, ApplyResult, ConfigKind, KindCounts } from './apply-config.js';
export {
  AdminAccounts,
  tokenDigest,
  type AdminAccount,
  type AdminRole,
  type AdminTokenInfo,
} from './admin-accounts.js';
export type { AuditEntry, AuditQuery } from './audit-log.js';
export * from './config/config-documents.js';
export type {
  ConfigSnapshot,
  DeviceConfig,
  DeviceType,
  LineConfig,
  LineGroupConfig,
  VoicemailProfileConfig,
  HuntListConfig,
  HuntPilotConfig,
  HuntAlgorithm,
  HuntOption,
  EndUserConfig,
  EndUserMobilityConfig,
  DeviceProfileConfig,
  ApplicationUserConfig,
  AccessControlGroup,
  ForwardTarget,
  LineForwarding,
} from './snapshot.js';
export { parseConfigFile, type ConfigProblem } from './config/parse-config.js';
export { readConfigFile, decodeConfigBytes, maxConfigFileBytes } from './config/config-file.js';
export { exportConfigYaml } from './config/export-config.js';
export {
  ConfigDocumentSchema,
  DeviceSchema,
  LineSchema,
  VoicemailProfileSchema,
  LineGroupSchema,
  HuntListSchema,
  HuntPilotSchema,
  EndUserSchema,
  ApplicationUserSchema,
  DeviceProfileSchema,
  ProfileName,
  SettingsSchema,
  DeviceName,
  DirectoryNumber,
  ObjectName,
  UserId,
  type ConfigDocument,
  type SettingsDocument,
  type DeviceDocument,
  type LineDocument,
  type VoicemailProfileDocument,
  type LineGroupDocument,
  type HuntListDocument,
  type HuntPilotDocument,
  type EndUserDocument,
  type ApplicationUserDocument,
  type DeviceProfileDocument,
} from './config/config-schema.js';
export { hashPassword, verifyPassword, sipHa1 } from './secrets.js';
export { callRecordsCsv, callRecordCsvColumns, type CallRecordQuery, type StoredCallRecord } from './call-records.js';
export type { StoredBinding } from './registration-bindings.js';
export { parseRecordTime } from './record-time.js';
export {
  mobilityAuditResource,
  type MobilityAuditEntry,
  type StoredMobilityLogin,
} from './extension-mobility-logins.js';
export { defaultFeatureCodes, featureCodesOf } from './config/feature-codes.js';
export {
  BulkImport,
  maxImportProblems,
  type BulkImportOptions,
  type ImportState,
  type ImportStatus,
  type ImportSummary,
  type ImportTarget,
} from './bulk-import/bulk-import.js';
export { importKinds, importSpecs, type ImportKind, type ImportColumn } from './bulk-import/import-columns.js';
export { maxImportBytes, type ImportProblem } from './bulk-import/import-rows.js';
export { parkNumbers } from './apply-config.js';
