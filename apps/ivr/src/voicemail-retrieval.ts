import { rm } from 'node:fs/promises';
import type { Dialog } from './dialog.js';
import type { StoredMessage } from './mailbox-store.js';
import type { VoicemailServices } from './voicemail-services.js';

/** Seconds to wait for a key in the voicemail menus. */
const menuTimeoutSeconds = 6;
/** Times a voicemail menu is offered again after no key or a wrong one. */
const menuRetries = 2;
const choice = { timeoutSeconds: menuTimeoutSeconds, retries: menuRetries };

/**
 * A mailbox owner checks their messages: log in (the mailbox of the phone they call from, or one they
 * enter; * at the PIN prompt switches mailbox), change the initial PIN if it is still the initial
 * one, hear how many messages wait, then the main menu: new messages, saved messages, greeting, PIN.
 */
export async function checkMessages(dialog: Dialog, services: VoicemailServices, mailbox?: string): Promise<void> {
  const extension = await logIn(dialog, services, mailbox);
  if (extension === undefined) return;
  const { pins, logger } = services;
  logger.info({ extension, callId: dialog.call.id }, 'mailbox owner logged in');
  if (await pins.mustChange(extension)) {
    await dialog.say([dialog.prompts.phrase('must-change-pin')]);
    if (!(await changePin(dialog, services, extension))) {
      await dialog.goodbye();
      return;
    }
  }
  await announceCounts(dialog, services, extension);
  for (;;) {
    const key = await dialog.choose([dialog.prompts.phrase('main-menu')], '1234*', choice);
    if (key === '1' || key === '2') {
      const left = await playMessages(dialog, services, extension, key === '1' ? 'new' : 'saved');
      if (left) return;
    } else if (key === '3') {
      await recordGreeting(dialog, services, extension);
    } else if (key === '4') {
      await changePin(dialog, services, extension);
    } else {
      await dialog.goodbye();
      return;
    }
  }
}

/** The mailbox the caller proved they own, or undefined once they gave up (and were told goodbye). */
async function logIn(dialog: Dialog, services: VoicemailServices, known?: string): Promise<string | undefined> {
  const { prompts, call } = dialog;
  const { directory, pins, config } = services;
  let extension = known;
  for (let attempt = 0; attempt < config.pinAttempts; attempt++) {
    if (extension === undefined) {
      const entered = await dialog.askNumber([prompts.phrase('enter-mailbox')], { ...choice, max: 20 });
      if (entered === undefined) break;
      if (directory.get(entered) === undefined) {
        await dialog.say([prompts.phrase('no-mailbox')]);
        continue;
      }
      extension = entered;
    }
    const { digits } = await dialog.ask([prompts.phrase('enter-pin')], {
      max: 21,
      timeoutSeconds: 10,
      terminator: '#',
    });
    if (digits.startsWith('*')) {
      // Someone else's phone: the caller names their own mailbox (this counts as an attempt).
      extension = undefined;
      continue;
    }
    if (digits === '') {
      await dialog.say([prompts.phrase('not-understood')]);
      continue;
    }
    const verdict = await pins.verify(extension, digits);
    if (verdict === 'ok') return extension;
    if (verdict === 'locked') {
      services.logger.warn({ extension, callId: call.id }, 'login refused: the mailbox is locked');
      await dialog.say([prompts.phrase('mailbox-locked')]);
      await call.hangup();
      return undefined;
    }
    services.logger.info({ extension, callId: call.id }, 'wrong voicemail PIN');
    await dialog.say([prompts.phrase('pin-wrong')]);
  }
  await dialog.goodbye();
  return undefined;
}

/** "You have three new messages and one saved message." */
async function announceCounts(dialog: Dialog, services: VoicemailServices, extension: string): Promise<void> {
  const { prompts } = dialog;
  const counts = await services.store.counts(extension);
  const count = (n: number) => (n === 0 ? [prompts.phrase('no')] : prompts.count(n));
  const files = [
    prompts.phrase('you-have'),
    ...count(counts.new),
    prompts.phrase(counts.new === 1 ? 'new-message' : 'new-messages'),
  ];
  if (counts.saved > 0) {
    files.push(
      prompts.phrase('and'),
      ...prompts.count(counts.saved),
      prompts.phrase(counts.saved === 1 ? 'saved-message' : 'saved-messages'),
    );
  }
  await dialog.offer(files);
}

/**
 * Plays the mailbox's new (or saved) messages, oldest first, each with its number and caller and then
 * the message menu; a key pressed while the message plays acts at once. True when the caller left
 * the IVR (call back).
 */
async function playMessages(
  dialog: Dialog,
  services: VoicemailServices,
  extension: string,
  state: StoredMessage['state'],
): Promise<boolean> {
  const { prompts } = dialog;
  const { store, lamps } = services;
  const messages = (await store.messages(extension)).filter((m) => m.state === state);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as StoredMessage;
    const header = [
      prompts.phrase('message'),
      ...prompts.count(i + 1),
      prompts.phrase('from'),
      ...(message.caller === '' ? [prompts.phrase('unknown-caller')] : prompts.digits(message.caller)),
    ];
    let files = [...header, store.messageFile(extension, message.id), prompts.phrase('message-menu')];
    for (;;) {
      const key = await dialog.choose(files, '1235#*', choice);
      if (key === '1') {
        files = [store.messageFile(extension, message.id), prompts.phrase('message-menu')];
        continue;
      }
      if (key === '2') {
        if (message.state === 'new') await store.setState(extension, message.id, 'saved');
        await lamps.sync(extension);
        await dialog.say([prompts.phrase('message-saved')]);
      } else if (key === '3') {
        await store.deleteMessage(extension, message.id);
        await lamps.sync(extension);
        await dialog.say([prompts.phrase('message-deleted')]);
      } else if (key === '5' && message.caller !== '') {
        await dialog.transfer(message.caller);
        return true;
      } else if (key === '5') {
        await dialog.say([prompts.phrase('not-understood')]);
        files = [prompts.phrase('message-menu')];
        continue;
      } else if (key === '*' || key === undefined) {
        return false;
      }
      break;
    }
  }
  await dialog.say([prompts.phrase('no-more-messages')]);
  return false;
}

/** Records a new greeting, plays it back, and keeps it only when the owner says so. */
async function recordGreeting(dialog: Dialog, services: VoicemailServices, extension: string): Promise<void> {
  const { prompts } = dialog;
  const { store, config } = services;
  for (let attempt = 0; attempt <= menuRetries; attempt++) {
    await dialog.say([prompts.phrase('record-greeting')]);
    const file = await store.incomingFile(extension);
    const outcome = await dialog.record(file, {
      maxSeconds: config.maxMessageSeconds,
      silenceSeconds: config.silenceSeconds,
      terminator: '#',
    });
    if (outcome.reason === 'hangup' || !outcome.heardSound) {
      await rm(file, { force: true });
      if (outcome.reason === 'hangup') return;
      await dialog.say([prompts.phrase('no-greeting-heard')]);
      continue;
    }
    const key = await dialog.choose(
      [prompts.phrase('your-greeting-is'), file, prompts.phrase('greeting-menu')],
      '12*',
      choice,
    );
    if (key === '1') {
      await store.saveGreeting(extension, file);
      services.logger.info({ extension }, 'greeting recorded');
      await dialog.say([prompts.phrase('greeting-saved')]);
      return;
    }
    await rm(file, { force: true });
    if (key !== '2') return;
  }
}

/** Asks for a new PIN twice; true once it is changed. */
async function changePin(dialog: Dialog, services: VoicemailServices, extension: string): Promise<boolean> {
  const { prompts } = dialog;
  const { pins } = services;
  for (let attempt = 0; attempt <= menuRetries; attempt++) {
    const pin = await dialog.askNumber([prompts.phrase('enter-new-pin')], { ...choice, max: 20 });
    if (pin === undefined) return false;
    if (pins.problem(extension, pin) !== undefined) {
      await dialog.say([prompts.phrase('pin-not-allowed')]);
      continue;
    }
    const again = await dialog.askNumber([prompts.phrase('reenter-new-pin')], { ...choice, max: 20 });
    if (again !== pin) {
      await dialog.say([prompts.phrase('pin-mismatch')]);
      continue;
    }
    await pins.change(extension, pin);
    services.logger.info({ extension }, 'voicemail PIN changed');
    await dialog.say([prompts.phrase('pin-changed')]);
    return true;
  }
  return false;
}
