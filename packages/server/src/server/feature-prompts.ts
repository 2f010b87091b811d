import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EncodedAudio, readWav } from '@strowger/media';
import { ErrorCode, StrowgerError } from '../core/index.js';

/** A lock-out lasts at most an hour (pinLockout.maxLockoutMs), so "N minutes" is spoken for 1 to 60. */
export const maxSpokenMinutes = 60;

/**
 * The spoken prompts of the server's own features (Extension Mobility login and logout from the
 * phone). The build speaks each text into `prompts/<id>.wav` (8 kHz mono, scripts/make-prompts.ts,
 * with espeak-ng and sox); the server reads them the first time a feature needs them.
 */
export const featurePromptTexts = {
  'em-enter-user-id': 'Please enter your user ID, followed by the pound key.',
  'em-enter-pin': 'Please enter your PIN, followed by the pound key.',
  'em-logged-in': 'You are logged in.',
  'em-wrong-pin': 'Wrong user ID or PIN.',
  'em-locked': 'Your profile is locked. Try again in',
  'em-logged-out': 'You are logged out.',
  'em-not-logged-in': 'No one is logged in on this phone.',
  'em-not-understood': 'Sorry, I did not get that.',
  'em-not-available': 'Extension Mobility is not available on this phone.',
  'em-logged-in-elsewhere': 'You are logged in on another phone. Log out there first.',
  'em-login-failed': 'Sorry, the login did not work. Please ask your administrator.',
  goodbye: 'Goodbye.',
  ...minutePrompts(),
} as const;

/** A prompt's id: one of the sentences, or `minutes-N` for N from 1 to maxSpokenMinutes. */
export type FeaturePromptId = Exclude<keyof typeof featurePromptTexts, `minutes-${number}`> | `minutes-${number}`;

function minutePrompts(): Record<`minutes-${number}`, string> {
  const prompts: Record<`minutes-${number}`, string> = {};
  for (let n = 1; n <= maxSpokenMinutes; n++) prompts[`minutes-${n}`] = n === 1 ? '1 minute.' : `${n} minutes.`;
  return prompts;
}

/** The prompt that says "N minutes", N kept within what was generated. */
export function minutesPrompt(minutes: number): FeaturePromptId {
  const n = Math.min(maxSpokenMinutes, Math.max(1, Math.ceil(minutes)));
  return `minutes-${n}` as FeaturePromptId;
}

/** Where the build writes the prompts: `packages/server/prompts`, beside `src` and `dist`. */
export const defaultFeaturePromptDirectory = fileURLToPath(new URL('../../prompts', import.meta.url));

/** The prompts read once and encoded once per law, shared by every call. */
export class FeaturePrompts {
  readonly #directory: string;
  #loading: Promise<ReadonlyMap<FeaturePromptId, EncodedAudio>> | undefined;

  constructor(directory = defaultFeaturePromptDirectory) {
    this.#directory = directory;
  }

  /** Every prompt; rejects, naming the build step, when one is missing or not a WAV file. */
  async load(): Promise<ReadonlyMap<FeaturePromptId, EncodedAudio>> {
    this.#loading ??= this.#read().catch((error: unknown) => {
      this.#loading = undefined; // a later call tries again (after a build, say)
      throw error;
    });
    return this.#loading;
  }

  async #read(): Promise<ReadonlyMap<FeaturePromptId, EncodedAudio>> {
    const prompts = new Map<FeaturePromptId, EncodedAudio>();
    for (const id of Object.keys(featurePromptTexts) as FeaturePromptId[]) {
      const file = join(this.#directory, `${id}.wav`);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new StrowgerError(
          ErrorCode.ResourceUnavailable,
          `the spoken prompt ${file} cannot be read (${(error as Error).message}); build the server (npm run build), which speaks the prompts with espeak-ng and sox`,
        );
      }
      prompts.set(id, new EncodedAudio(readWav(bytes, file)));
    }
    return prompts;
  }
}
