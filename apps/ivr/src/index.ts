/**
 * @strowger/ivr: IVR and voicemail on CTI route points and ports — auto-attendant menus, voicemail
 * deposit and retrieval, mailboxes from the call manager's end users, prompts spoken by espeak-ng.
 */
export type {
  CollectOptions,
  CollectOutcome,
  IvrCall,
  IvrCallMedia,
  IvrPlatform,
  IvrPort,
  PlayOutcome,
  RecordOptions,
  RecordOutcome,
  RedirectReason,
  RouteRequest,
} from './platform.js';
export { startIvrApplication, type IvrApplication, type IvrApplicationOptions } from './ivr-application.js';
export { runIvr, type PlatformFactory, type IvrSecrets, type RunIvrOptions } from './main.js';
export { ivrCommand } from './cli.js';
export { loadConfig, parseConfig } from './config.js';
export type { IvrConfig } from './config-schema.js';
export { RtpCallMedia, AudioCache } from './rtp-call-media.js';
export { RouteDispatcher, type CallContext, type QueueStatus } from './route-dispatcher.js';
export { fetchMailboxes, type Mailbox } from './mailbox-directory.js';
export { openSdkPlatform, sdkPlatform } from './sdk-platform.js';
