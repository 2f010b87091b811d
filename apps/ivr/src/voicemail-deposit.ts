import { rm } from 'node:fs/promises';
import type { Dialog } from './dialog.js';
import type { VoicemailServices } from './voicemail-services.js';

/** How a deposit ended: a message left (or not), or the owner pressed * during the greeting to log in. */
export type DepositResult = 'done' | 'login';

/** A message shorter than this is a caller who hung up at the beep, not a message. */
const shortestMessageSeconds = 1;

/**
 * A caller leaves a message in `extension`'s mailbox: its greeting (the recorded one, or a spoken
 * default naming the extension) — any key skips to the beep, * lets the owner log in instead — then the
 * recording until silence, the time limit, # or hang-up. A message is kept only if something was
 * heard; the mailbox's lamp is lit as soon as it is stored.
 */
export async function depositMessage(
  dialog: Dialog,
  services: VoicemailServices,
  extension: string,
): Promise<DepositResult> {
  const { store, config, lamps, logger } = services;
  const { prompts, call } = dialog;
  const counts = await store.counts(extension);
  if (counts.new + counts.saved >= config.maxMessages) {
    logger.warn(
      { extension, messages: counts.new + counts.saved },
      'mailbox full; the caller could not leave a message',
    );
    await dialog.say([prompts.phrase('mailbox-full')]);
    await call.hangup();
    return 'done';
  }
  const greeting = await store.greetingFile(extension);
  const key = await dialog.offer(
    greeting !== undefined
      ? [greeting]
      : [prompts.phrase('greeting-extension'), ...prompts.digits(extension), prompts.phrase('greeting-unavailable')],
  );
  call.clearDigits();
  if (key === '*') return 'login';
  const file = await store.incomingFile(extension);
  const outcome = await dialog.record(file, {
    maxSeconds: config.maxMessageSeconds,
    silenceSeconds: config.silenceSeconds,
    terminator: '#',
  });
  const kept = outcome.heardSound && outcome.seconds >= shortestMessageSeconds;
  if (!kept) {
    await rm(file, { force: true });
    logger.info({ extension, callId: call.id, reason: outcome.reason }, 'nothing was said; no message kept');
  } else {
    const message = await store.addMessage(extension, {
      file,
      caller: call.calling,
      ...(call.callingName === undefined ? {} : { callerName: call.callingName }),
      seconds: outcome.seconds,
    });
    logger.info({ extension, callId: call.id, messageId: message.id, seconds: message.seconds }, 'message stored');
    await lamps.sync(extension);
  }
  if (outcome.reason === 'hangup') return 'done';
  if (kept) {
    await dialog.say([prompts.phrase('message-saved-goodbye')]);
    await call.hangup();
  } else {
    await dialog.goodbye();
  }
  return 'done';
}
