import type { CallEvent, Logger, Provider, Terminal } from '@strowger/sdk';
import type { Pop, PopAction } from './actions.js';
import { fillTemplate } from './url-template.js';

export interface ScreenPopOptions {
  readonly provider: Provider;
  /** The URL template, with {calling}, {callingName}, {called}, {user}, {device}, {line}, {callId}. */
  readonly template: string;
  readonly action: PopAction;
  /**
   * Devices to acquire by name (createTerminal; needs "Standard CTI Allow Control of All Devices")
   * and watch besides the provider's own terminals.
   */
  readonly devices?: readonly string[];
  readonly logger: Logger;
  /** Told of every pop once its action has run (or failed); tests and logs use it. */
  readonly onPop?: (pop: Pop, error: unknown) => void;
}

/** How many popped call ids are remembered to keep each call to one pop. */
const REMEMBERED_CALLS = 10_000;

export interface ScreenPop {
  /** The devices being watched. */
  readonly watching: readonly string[];
  /** The devices that could not be watched, with why. */
  readonly skipped: readonly { device: string; reason: string }[];
  stop(): Promise<void>;
}

/**
 * Watches every device it may (the provider's terminals, plus the ones named in `devices`) with a
 * call observer, and pops once per call as soon as one starts ringing: the first ConnAlertingEv on a
 * line of the device, or TermConnRingingEv at the device — the step of §2.7 a URL pop needs.
 */
export async function startScreenPop(options: ScreenPopOptions): Promise<ScreenPop> {
  const { provider, logger } = options;
  const popped = new Set<string>();
  const watching: string[] = [];
  const skipped: { device: string; reason: string }[] = [];
  const listeners = new Map<Terminal, (ev: CallEvent) => void>();

  const pop = (ev: CallEvent, terminal: Terminal, line: string): void => {
    if (popped.has(ev.callId)) return;
    popped.add(ev.callId);
    if (popped.size > REMEMBERED_CALLS) popped.delete(popped.values().next().value as string);
    const call = ev.call;
    const fields = {
      calling: call.callingAddress?.name ?? '',
      callingName: call.callingName ?? '',
      called: call.calledAddress?.name ?? line,
      user: provider.user.userId,
      device: terminal.name,
      line,
      callId: call.callId,
    };
    const result: Pop = { ...fields, url: fillTemplate(options.template, fields), at: Date.now() };
    options.action(result).then(
      () => options.onPop?.(result, undefined),
      (err: unknown) => {
        logger.error({ err, callId: result.callId }, 'screen pop failed');
        options.onPop?.(result, err);
      },
    );
  };

  const watch = async (terminal: Terminal): Promise<void> => {
    if (terminal.restricted) {
      skipped.push({ device: terminal.name, reason: 'restricted ("Allow Control of Device from CTI" is off)' });
      return;
    }
    const lines = new Set(terminal.addresses.map((a) => a.name));
    const listener = (ev: CallEvent): void => {
      if (ev.type === 'ConnAlertingEv' && lines.has(ev.connection.address.name)) {
        pop(ev, terminal, ev.connection.address.name);
      } else if (ev.type === 'TermConnRingingEv' && ev.terminalConnection.terminal === terminal) {
        pop(ev, terminal, ev.connection.address.name);
      }
    };
    try {
      await terminal.addCallObserver(listener);
      listeners.set(terminal, listener);
      watching.push(terminal.name);
    } catch (err) {
      skipped.push({ device: terminal.name, reason: err instanceof Error ? err.message : String(err) });
    }
  };

  for (const terminal of provider.terminals) await watch(terminal);
  for (const name of options.devices ?? []) {
    if (watching.includes(name)) continue;
    try {
      await watch(await provider.createTerminal(name));
    } catch (err) {
      skipped.push({ device: name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return {
    watching,
    skipped,
    async stop() {
      for (const [terminal, listener] of listeners) await terminal.removeCallObserver(listener);
      listeners.clear();
    },
  };
}
