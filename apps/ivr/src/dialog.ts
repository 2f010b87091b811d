import type { CollectOptions, IvrCall, RecordOptions, RecordOutcome } from './platform.js';
import type { PromptLibrary } from './prompt-library.js';

/** Thrown by a `Dialog` once the caller has hung up, so a flow stops wherever it is. */
export class CallerHungUp extends Error {
  constructor() {
    super('the caller hung up');
    this.name = 'CallerHungUp';
  }
}

export interface ChoiceOptions {
  readonly timeoutSeconds: number;
  /** Times the question is asked again after no key or a key that is not offered. */
  readonly retries: number;
}

/**
 * The call as a flow speaks to it: prompts by file, questions that re-ask after silence or a wrong
 * key ("sorry, I did not get that"), and a caller who hangs up ending the flow with `CallerHungUp`
 * instead of a result every step would have to check.
 */
export class Dialog {
  readonly call: IvrCall;
  readonly prompts: PromptLibrary;

  constructor(call: IvrCall, prompts: PromptLibrary) {
    this.call = call;
    this.prompts = prompts;
  }

  /** Plays prompts to the end; keys pressed meanwhile stay typed ahead. */
  async say(files: readonly string[]): Promise<void> {
    const outcome = await this.call.play(files);
    if (outcome.reason === 'hangup') throw new CallerHungUp();
  }

  /** Plays prompts that any key cuts short; the key is left for the next question. */
  async offer(files: readonly string[]): Promise<string | undefined> {
    const outcome = await this.call.play(files, { interruptible: true });
    if (outcome.reason === 'hangup') throw new CallerHungUp();
    return outcome.interruptedBy;
  }

  /** Plays the question (cut short by a key) and collects the answer. */
  async ask(files: readonly string[], options: CollectOptions): Promise<{ digits: string; reason: string }> {
    await this.offer(files);
    const answer = await this.call.collectDigits(options);
    if (answer.reason === 'hangup') throw new CallerHungUp();
    return answer;
  }

  /**
   * Asks for one key of `keys`; no key or another one is met with "sorry, I did not get that" and the
   * question again, up to `retries` times. Undefined when the caller never chose.
   */
  async choose(files: readonly string[], keys: string, options: ChoiceOptions): Promise<string | undefined> {
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      const { digits } = await this.ask(files, { max: 1, timeoutSeconds: options.timeoutSeconds });
      if (digits.length === 1 && keys.includes(digits)) return digits;
      this.call.clearDigits();
      if (attempt < options.retries) await this.say([this.prompts.phrase('not-understood')]);
    }
    return undefined;
  }

  /** Asks for a number ended by # (or by the timeout); retries as `choose` does while nothing comes. */
  async askNumber(
    files: readonly string[],
    options: ChoiceOptions & { readonly max: number },
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      const { digits } = await this.ask(files, {
        max: options.max,
        timeoutSeconds: options.timeoutSeconds,
        terminator: '#',
      });
      if (digits.length > 0) return digits;
      if (attempt < options.retries) await this.say([this.prompts.phrase('not-understood')]);
    }
    return undefined;
  }

  /** Records after a beep; a hang-up ends the recording (and is reported, not thrown: the message counts). */
  async record(file: string, options: RecordOptions): Promise<RecordOutcome> {
    this.call.clearDigits();
    await this.say([this.prompts.phrase('beep')]);
    return this.call.record(file, options);
  }

  async goodbye(): Promise<void> {
    await this.say([this.prompts.phrase('goodbye')]);
    await this.call.hangup();
  }

  async transfer(destination: string, announcement: 'transferring' | 'operator' = 'transferring'): Promise<void> {
    await this.say([this.prompts.phrase(announcement)]);
    await this.call.transfer(destination);
  }
}
