import type { Logger } from '@strowger/core';
import type { VoicemailConfig } from './config-schema.js';
import type { MailboxDirectory } from './mailbox-directory.js';
import type { MailboxStore } from './mailbox-store.js';
import type { MessageWaitingLamps } from './message-waiting.js';
import type { PinStore } from './pin-store.js';

/** What the voicemail flows share: the mailboxes, their messages and PINs, and the lamps. */
export interface VoicemailServices {
  readonly config: VoicemailConfig;
  readonly directory: MailboxDirectory;
  readonly store: MailboxStore;
  readonly pins: PinStore;
  readonly lamps: MessageWaitingLamps;
  readonly logger: Logger;
}
