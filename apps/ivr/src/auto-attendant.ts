import type { Clock, Logger } from '@strowger/core';
import { menuAt } from './business-hours.js';
import type { AutoAttendantConfig, IvrConfig, MenuConfig } from './config-schema.js';
import type { Dialog } from './dialog.js';
import type { MailboxDirectory } from './mailbox-directory.js';

export interface AutoAttendantServices {
  readonly config: IvrConfig;
  readonly directory: MailboxDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Leaves a message in a mailbox (the "voicemail" menu action). */
  readonly deposit: (dialog: Dialog, extension: string) => Promise<void>;
  /** The mailbox login (the "checkMessages" menu action). */
  readonly checkMessages: (dialog: Dialog) => Promise<void>;
}

/** Seconds to wait for an extension's digits. */
const extensionTimeoutSeconds = 8;

/**
 * An auto-attendant: the menu of the hour (business hours, after hours, holiday), a key per action —
 * another menu, a transfer, dial by extension, the operator, a voicemail message, the mailbox login,
 * the menu again, goodbye. No key or a key the menu does not offer is met with "sorry, I did not get that" and the
 * menu again; when the retries are used up the caller goes to the operator (or hears goodbye).
 */
export async function runAutoAttendant(
  dialog: Dialog,
  services: AutoAttendantServices,
  attendant: AutoAttendantConfig,
): Promise<void> {
  const { config, logger } = services;
  let menuName = menuAt(attendant, services.clock.now());
  for (;;) {
    const menu = config.menus[menuName] as MenuConfig;
    const key = await dialog.choose([dialog.prompts.spoken(menu.greeting)], Object.keys(menu.options).join(''), {
      timeoutSeconds: menu.timeoutSeconds,
      retries: menu.retries,
    });
    if (key === undefined) {
      logger.info({ callId: dialog.call.id, menu: menuName }, 'no choice made in the menu');
      if (menu.onFailure === 'operator' && config.operator !== undefined) {
        await dialog.transfer(config.operator, 'operator');
      } else {
        await dialog.goodbye();
      }
      return;
    }
    const action = menu.options[key];
    logger.info({ callId: dialog.call.id, menu: menuName, key, action }, 'menu choice');
    if (action === undefined || 'repeat' in action) continue;
    if ('menu' in action) {
      menuName = action.menu;
    } else if ('transfer' in action) {
      await dialog.transfer(action.transfer);
      return;
    } else if ('operator' in action) {
      if (config.operator === undefined) {
        await dialog.goodbye();
      } else {
        await dialog.transfer(config.operator, 'operator');
      }
      return;
    } else if ('checkMessages' in action) {
      await services.checkMessages(dialog);
      return;
    } else if ('goodbye' in action) {
      await dialog.goodbye();
      return;
    } else if ('dialByExtension' in action) {
      const extension = await askExtension(dialog);
      if (extension !== undefined && mayDial(services, extension)) {
        await dialog.transfer(extension);
        return;
      }
      await dialog.say([dialog.prompts.phrase('extension-unavailable')]);
    } else {
      const extension = await askExtension(dialog);
      if (extension !== undefined && services.directory.get(extension) !== undefined) {
        await services.deposit(dialog, extension);
        return;
      }
      await dialog.say([dialog.prompts.phrase('no-mailbox')]);
    }
  }
}

async function askExtension(dialog: Dialog): Promise<string | undefined> {
  dialog.call.clearDigits();
  return dialog.askNumber([dialog.prompts.phrase('enter-extension')], {
    max: 16,
    timeoutSeconds: extensionTimeoutSeconds,
    retries: 1,
  });
}

/**
 * Dial by extension reaches the numbers `dialByExtensionPattern` allows, or without it the mailbox
 * owners' extensions only, so a caller cannot use the auto-attendant to dial out.
 */
function mayDial(services: AutoAttendantServices, extension: string): boolean {
  const pattern = services.config.dialByExtensionPattern;
  if (pattern !== undefined) return new RegExp(`^(?:${pattern})$`).test(extension);
  return services.directory.get(extension) !== undefined;
}
