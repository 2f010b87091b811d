import { join } from 'node:path';
import type { Clock, Logger } from '@strowger/core';
import { runAutoAttendant } from './auto-attendant.js';
import type { IvrConfig, RoutePointConfig, Spoken } from './config-schema.js';
import { CallerHungUp, Dialog } from './dialog.js';
import { MailboxDirectory, type Mailbox } from './mailbox-directory.js';
import { MailboxStore } from './mailbox-store.js';
import { MessageWaitingLamps } from './message-waiting.js';
import { PinStore } from './pin-store.js';
import type { IvrCall, IvrPlatform } from './platform.js';
import { PromptLibrary } from './prompt-library.js';
import { RouteDispatcher, type CallContext, type QueueStatus } from './route-dispatcher.js';
import { depositMessage } from './voicemail-deposit.js';
import { checkMessages } from './voicemail-retrieval.js';
import type { VoicemailServices } from './voicemail-services.js';

export interface IvrApplicationOptions {
  readonly config: IvrConfig;
  readonly platform: IvrPlatform;
  /** Where the built-in prompts are (the package's generated prompts folder). */
  readonly promptDirectory: string;
  /** Reads the mailboxes (the admin API's end users with a primary extension). */
  readonly loadMailboxes: () => Promise<Mailbox[]>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface IvrApplication {
  /** The queue at the route points and the ports' use. */
  status(): QueueStatus;
  stop(): Promise<void>;
}

/**
 * The IVR: mailboxes loaded, greetings written as text spoken, lamps brought in line, and then every
 * call at the route points dispatched to a port and served by the application of the pilot it
 * reached — an auto-attendant, or voicemail (deposit for a forwarded call, retrieval for a call to
 * the pilot).
 */
export async function startIvrApplication(options: IvrApplicationOptions): Promise<IvrApplication> {
  const { config, platform, clock, logger } = options;
  const prompts = new PromptLibrary(options.promptDirectory);
  const texts: Spoken[] = Object.values(config.menus).map((menu) => menu.greeting);
  await prompts.prepareSpoken(texts, join(config.dataDirectory, 'prompts'), config.voice);

  const directory = new MailboxDirectory({
    load: options.loadMailboxes,
    clock,
    logger: logger.child({ part: 'directory' }),
    refreshMinutes: config.admin.refreshMinutes,
  });
  const store = new MailboxStore({ directory: join(config.dataDirectory, 'mailboxes'), clock, logger });
  const pins = new PinStore({ directory: config.dataDirectory, policy: config.voicemail, clock, logger });
  const lamps = new MessageWaitingLamps(platform, store, logger);
  const voicemail: VoicemailServices = { config: config.voicemail, directory, store, pins, lamps, logger };
  await directory.start();
  const syncLamps = (mailboxes: readonly Mailbox[]) =>
    lamps.refreshAll(mailboxes.map((m) => m.extension)).catch((error: unknown) => {
      logger.error({ err: error }, 'message-waiting lamps not brought in line');
    });
  directory.onRefresh((mailboxes) => {
    syncLamps(mailboxes).catch(() => undefined);
  });
  await syncLamps(directory.all);

  const deposit = async (dialog: Dialog, extension: string) => {
    if ((await depositMessage(dialog, voicemail, extension)) === 'login')
      await checkMessages(dialog, voicemail, extension);
  };

  /** The application of the pilot the caller reached. */
  const applicationFor = (context: CallContext): RoutePointConfig | undefined =>
    config.routePoints.find((rp) => rp.number === context.called) ??
    config.routePoints.find((rp) => rp.name === context.routePoint) ??
    // A call that reached a port without a route point (a hunt pilot whose line group holds port
    // lines) is served by the first route point's application.
    config.routePoints[0];

  /** The line a forwarded call was meant for: its mailbox takes the message. */
  const forwardedFrom = (context: CallContext): string | undefined => {
    const target = context.originalCalled ?? context.lastRedirected;
    return target !== undefined && target !== context.called && target !== config.voicemail.pilot ? target : undefined;
  };

  const retrieve = (dialog: Dialog, calling: string) =>
    checkMessages(dialog, voicemail, directory.get(calling) === undefined ? undefined : calling);

  const serveVoicemail = async (dialog: Dialog, context: CallContext) => {
    const target = forwardedFrom(context);
    if (target === undefined) {
      await retrieve(dialog, context.calling);
    } else if (directory.get(target) === undefined) {
      logger.info({ callId: dialog.call.id, originalCalled: target }, 'forwarded call for a number without a mailbox');
      await dialog.say([prompts.phrase('no-mailbox')]);
      await dialog.goodbye();
    } else {
      await deposit(dialog, target);
    }
  };

  const serve = async (call: IvrCall, context: CallContext): Promise<void> => {
    const dialog = new Dialog(call, prompts);
    let ended = false;
    call.ended.then(
      () => (ended = true),
      () => (ended = true),
    );
    const routePoint = applicationFor(context);
    try {
      if (routePoint === undefined) {
        await dialog.say([prompts.phrase('service-unavailable')]);
      } else if (
        routePoint.application === 'voicemail' ||
        // A call forwarded to the voicemail pilot is a message for the line it was meant for, even
        // when the pilot's route point is also the auto-attendant's number.
        (context.called === config.voicemail.pilot && forwardedFrom(context) !== undefined)
      ) {
        await serveVoicemail(dialog, context);
      } else {
        const attendant = config.autoAttendants[routePoint.application.autoAttendant];
        if (attendant !== undefined) {
          const checkMessagesFromMenu = (menuDialog: Dialog) => retrieve(menuDialog, context.calling);
          await runAutoAttendant(
            dialog,
            { config, directory, clock, logger, deposit, checkMessages: checkMessagesFromMenu },
            attendant,
          );
        }
      }
    } catch (error) {
      if (!(error instanceof CallerHungUp)) throw error;
      logger.info({ callId: call.id }, 'the caller hung up');
    } finally {
      // Whatever the flow did, the port is given back: a caller still there when it ended is hung up.
      if (!ended) await call.hangup().catch(() => undefined);
    }
  };

  const dispatcher = new RouteDispatcher({
    platform,
    clock,
    logger: logger.child({ part: 'queue' }),
    arrivalSeconds: config.queue.arrivalSeconds,
    logSeconds: config.queue.logSeconds,
    onCall: (call, context) => serve(call, context),
  });
  logger.info(
    {
      routePoints: config.routePoints.map((rp) => rp.number),
      ports: platform.ports.length,
      mailboxes: directory.all.length,
    },
    'IVR ready',
  );
  return {
    status: () => dispatcher.status(),
    stop: async () => {
      directory.stop();
      await dispatcher.stop();
    },
  };
}
